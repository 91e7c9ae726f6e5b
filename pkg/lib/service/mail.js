// The result e-mail: after a manual sync (and, by the connection's setting, after a daily run or
// a webhook push that wrote or failed) the summary and the error log go to the connection's
// recipients through the service's SMTP server (nodemailer). No SMTP server set up: no e-mail,
// and the connection says so. The message holds what the report holds, never a secret.
import nodemailer from 'nodemailer';
import { fieldName } from '../words.js';
import { CronaSyncError } from '../errors.js';

/**
 * @typedef {object} SmtpSettings
 * @property {string} host
 * @property {number} port
 * @property {'none' | 'starttls' | 'implicit'} tls  none: plain (only on this machine); starttls: upgrade; implicit: TLS from the start (465)
 * @property {string | null} user
 * @property {string} from
 */

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/** Checks a list of recipients. @param {unknown} list @returns {string[]} */
export function recipients(list) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || !ADDRESS.test(a.trim()))) {
    throw new CronaSyncError('invalid_argument', 'recipients must be a list of e-mail addresses, like lon@example.se.', { field: 'recipients' });
  }
  return [...new Set(list.map((a) => a.trim()))];
}

/**
 * The SMTP server, checked. @param {Record<string, any>} s
 * @returns {SmtpSettings}
 */
export function checkSmtp(s) {
  const port = Number(s.port);
  if (typeof s.host !== 'string' || !s.host.trim()) throw new CronaSyncError('usage', 'The SMTP server needs a host (--host).');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CronaSyncError('usage', `The SMTP port must be 1–65535; got ${JSON.stringify(s.port)}.`);
  if (!['none', 'starttls', 'implicit'].includes(s.tls)) throw new CronaSyncError('usage', '--tls must be none, starttls or implicit.');
  if (typeof s.from !== 'string' || !ADDRESS.test(s.from)) throw new CronaSyncError('usage', 'The sender needs an e-mail address (--from).');
  return { host: s.host.trim(), port, tls: s.tls, user: s.user ? String(s.user) : null, from: s.from };
}

/** The subject and text of a run's result e-mail. @param {string} connection @param {string} kind @param {any} report */
export function resultMail(connection, kind, report) {
  const what = { sync: 'Synchronize users', push: 'Push', webhook: 'Webhook push', scheduled: 'Daily run' }[kind] ?? kind;
  /** @type {any[]} */
  const errors = report.errors ?? [];
  const lines = [
    `${what} on the connection "${connection}"`,
    '',
    report.summary?.text ?? '',
    '',
    `Error log (${errors.length}):`,
    ...(errors.length
      ? errors.map((e) => `- ${e.person?.name ?? 'someone'}: ${e.system === 'huma' ? 'Huma' : 'Crona Lön'} ${e.status ?? 'no answer'} ${e.code ?? ''} ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.map(fieldName).join(', ')})` : ''}`.replace(/\s+/g, ' ').trim())
      : ['No write failed.']),
  ];
  // Only plain lines: nothing that an e-mail reader could take for a link or a header.
  const clean = (/** @type {string} */ t) => t.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '?'); // eslint-disable-line no-control-regex
  return { subject: clean(`crona-sync: ${connection} — ${errors.length ? 'done, with errors' : 'done'}`), text: clean(lines.join('\n')) + '\n' };
}

export class Mailer {
  /** @param {import('./store.js').Store} store @param {(line: string) => void} log */
  constructor(store, log) {
    this.store = store;
    this.log = log;
  }

  /** Whether an SMTP server is set up. */
  get configured() {
    return Boolean(this.store.setting('smtp'));
  }

  /**
   * E-mails a run's result to the connection's recipients, when there is an SMTP server and
   * recipients (and, for an unattended run, the connection asked for it and it wrote or failed).
   * Never throws: a failed e-mail goes to the log and the error log.
   * @param {import('./store.js').StoredConnection} c @param {string} kind @param {any} report
   * @returns {Promise<'sent' | 'not_configured' | 'no_recipients' | 'not_asked' | 'failed'>}
   */
  async afterRun(c, kind, report) {
    const smtp = /** @type {SmtpSettings | null} */ (this.store.setting('smtp'));
    const to = c.settings.recipients ?? [];
    if (!smtp) return 'not_configured';
    if (!to.length) return 'no_recipients';
    const counts = report?.summary?.counts ?? {};
    const wroteOrFailed = (counts.created ?? 0) + (counts.updated ?? 0) + (counts.failed ?? 0) + (report?.errors?.length ?? 0) > 0;
    if (kind !== 'sync' && !(c.settings.mailScheduled && wroteOrFailed)) return 'not_asked';
    const { subject, text } = resultMail(c.name, kind, report);
    try {
      const password = this.store.serviceSecret('smtp.password');
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.tls === 'implicit',
        requireTLS: smtp.tls === 'starttls',
        ignoreTLS: smtp.tls === 'none',
        auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
        connectionTimeout: 30_000,
      });
      await transport.sendMail({ from: smtp.from, to, subject, text });
      transport.close();
      this.log(`${c.name}: result e-mailed to ${to.length} recipient(s)`);
      return 'sent';
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.log(`${c.name}: the result e-mail failed: ${why}`);
      this.store.addErrors(c.id, [{ time: new Date().toISOString(), code: 'mail_failed', message: `The result e-mail couldn't be sent: ${why}` }]);
      return 'failed';
    }
  }
}
