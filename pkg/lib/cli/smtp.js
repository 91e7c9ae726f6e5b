// `crona-sync smtp`: the integration service's SMTP server for the result e-mail, kept in the
// store; the password comes from CRONA_SYNC_SMTP_PASSWORD (never a flag) and is sealed.
import { CronaSyncError } from '../errors.js';
import { checkSmtp } from '../service/mail.js';
import { Store } from '../service/store.js';
import { visible } from '../text.js';
import { dataDir } from './backup.js';

/** @param {Record<string, any>} flags */
export async function smtp(flags) {
  const store = Store.open(dataDir(flags));
  try {
    if (flags.off) {
      store.setSetting('smtp', null);
      store.setServiceSecret('smtp.password', null);
      process.stdout.write('The SMTP server is removed: no result e-mail is sent.\n');
      return 0;
    }
    if (flags.host === undefined) {
      const s = store.setting('smtp');
      process.stdout.write(s ? `Result e-mails go through ${visible(`${s.host}:${s.port}`)} (TLS: ${s.tls}${s.user ? `, signed in as ${visible(s.user)}` : ''}), from ${visible(s.from)}.\n` : 'No SMTP server: no result e-mail is sent. Set one with crona-sync smtp --host HOST --port PORT --tls starttls --from ADDRESS.\n');
      return 0;
    }
    const settings = checkSmtp({ host: flags.host, port: flags.port ?? 587, tls: flags.tls ?? 'starttls', user: flags.login, from: flags.from });
    const password = process.env.CRONA_SYNC_SMTP_PASSWORD;
    if (settings.user && !password) throw new CronaSyncError('usage', 'With --login, give the password as CRONA_SYNC_SMTP_PASSWORD in the environment (never as a flag).');
    if (settings.tls === 'none' && !['127.0.0.1', 'localhost', '::1'].includes(settings.host)) {
      throw new CronaSyncError('usage', 'Without TLS the e-mail (and the password) would cross the network in clear: use --tls starttls or implicit, or a server on this machine.');
    }
    store.setSetting('smtp', settings);
    store.setServiceSecret('smtp.password', settings.user ? password ?? null : null);
    process.stdout.write(`Result e-mails now go through ${visible(`${settings.host}:${settings.port}`)} (TLS: ${settings.tls}), from ${visible(settings.from)}${settings.user ? '; the password is sealed' : ''}.\n`);
    return 0;
  } finally {
    store.close();
  }
}
