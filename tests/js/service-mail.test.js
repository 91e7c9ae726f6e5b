// The result e-mail through a real SMTP server on this machine (smtp-server from npm): none
// without an SMTP server or recipients; one per manual sync, with the summary and the failed
// writes, signed in with the sealed password, carrying no secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { runCli } from './support/cli.js';
import { service } from './support/service.js';
import { pageSync } from './support/page-sync.js';

const SMTP_PASSWORD = 'smtp-pass-9d41c7e2';
/** @type {{ from: string, to: string[], text: string, user: string | null }[]} */
const received = [];
/** @type {{ user: string, pass: string }[]} */
const logins = [];
const smtp = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true, // this machine only: the test server has no certificate
  disabledCommands: ['STARTTLS'],
  onAuth(auth, session, done) {
    logins.push({ user: String(auth.username), pass: String(auth.password) });
    done(null, { user: auth.username });
  },
  onData(stream, session, done) {
    let text = '';
    stream.on('data', (c) => (text += c));
    stream.on('end', () => {
      received.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), text, user: session.user ? String(session.user) : null });
      done();
    });
  },
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', () => resolve(undefined)));
const smtpPort = /** @type {import('node:net').AddressInfo} */ (smtp.server.address()).port;

const s = await service({ sandbox: { people: 30, drift: 0.3 } });
const cookie = await s.signIn();

/**
 * The subject and text of a received message (quoted-printable, as nodemailer sends UTF-8).
 * @param {string} raw @returns {{ subject: string, body: string }}
 */
function read(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const bytes = (/** @type {string} */ qp) => Buffer.from(qp.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  const subjectLine = /^Subject: (.*(?:\r\n .*)*)/m.exec(head)?.[1] ?? '';
  const subject = subjectLine.split(/\r\n /).map((w) => {
    const m = /^=\?UTF-8\?Q\?(.*)\?=$/.exec(w.trim());
    return m ? bytes(m[1].replace(/_/g, ' ')) : w;
  }).join('');
  const body = bytes(rest.join('\r\n\r\n').replace(/=\r\n/g, '')).replace(/\r\n/g, '\n');
  return { subject, body };
}

/** Waits (generously) for `n` messages. @param {number} n */
async function messages(n) {
  for (let i = 0; i < 600 && received.length < n; i++) await new Promise((r) => setTimeout(r, 100));
  return received;
}

test('without an SMTP server no e-mail is sent, and the connection says so', async () => {
  const c = (await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie })).json.connection;
  assert.deepEqual(c.mail, { recipients: [], scheduled: false, smtp: false });
  const bad = await s.call('PUT', `/api/connections/${s.id}`, { name: 'Sandbox', huma: { baseUrl: s.box.humaUrl, clientId: s.credentials.huma.clientId }, crona: { baseUrl: s.box.cronaUrl }, group: null, recipients: ['not an address'] }, { cookie });
  assert.deepEqual([bad.status, bad.json.error.code, bad.json.error.details], [400, 'invalid_argument', { field: 'recipients' }]);
  const { finish } = await pageSync(s, cookie, { fieldDefaults: { bankAccount: 'crona' } });
  assert.equal(finish.status, 200);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(received, []);
});

test('each manual sync e-mails its summary and the failed writes to the recipients, with no secret', async () => {
  const cwd = s.dir.replace(/\/data$/, '');
  const set = await runCli(['smtp', '--data', s.dir, '--host', '127.0.0.1', '--port', String(smtpPort), '--tls', 'none', '--login', 'mailer', '--from', 'crona-sync@exempelbygg.se'], { env: { PATH: process.env.PATH ?? '', CRONA_SYNC_SMTP_PASSWORD: SMTP_PASSWORD }, cwd });
  assert.equal(set.code, 0, set.stderr);
  const put = await s.call('PUT', `/api/connections/${s.id}`, { name: 'Sandbox', huma: { baseUrl: s.box.humaUrl, clientId: s.credentials.huma.clientId }, crona: { baseUrl: s.box.cronaUrl }, group: null, recipients: ['lon@exempelbygg.se', 'ekonomi@exempelbygg.se'] }, { cookie });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.deepEqual(put.json.connection.mail, { recipients: ['lon@exempelbygg.se', 'ekonomi@exempelbygg.se'], scheduled: false, smtp: true });

  // One Huma change for someone paired, and Crona refuses that write.
  const { huma } = await s.box.inspect();
  const pairs = s.store.state(s.id).state.pairs;
  const person = huma.users.find((/** @type {any} */ u) => u.active && pairs.some((/** @type {any} */ p) => p.humaId === u.id));
  const anstNr = pairs.find((/** @type {any} */ p) => p.humaId === person.id).anstNr;
  await s.box.control(`huma/users/${person.id}/edit`, { phone: '070-123 45 67' });
  await s.box.faults([{ system: 'crona', method: 'PATCH', path: `^/api/v1/employees/${anstNr}$`, kind: 'status', status: 422, count: 1 }]);
  const { report } = await pageSync(s, cookie, {});
  await s.box.clearFaults();
  assert.equal(report.errors.length, 1);

  const [mail, ...more] = await messages(1);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(more, [], 'one message per sync');
  assert.equal(mail.from, 'crona-sync@exempelbygg.se');
  assert.deepEqual(mail.to, ['lon@exempelbygg.se', 'ekonomi@exempelbygg.se']);
  assert.deepEqual(logins, [{ user: 'mailer', pass: SMTP_PASSWORD }], 'signed in with the sealed password');
  const { subject, body } = read(mail.text);
  assert.equal(subject, 'crona-sync: Sandbox — done, with errors');
  const e = report.errors[0];
  assert.deepEqual(e.fields, ['phone'], 'the write that failed carried the phone');
  assert.equal(body, [
    'Synchronize users on the connection "Sandbox"',
    '',
    report.summary.text,
    '',
    'Error log (1):',
    `- ${e.person.name}: Crona Lön 422 ${e.code} ${e.message} (Mobile phone (Mobil))`,
    '',
  ].join('\n'));
  for (const secret of [SMTP_PASSWORD, s.credentials.huma.clientSecret, s.credentials.crona.activationCode, /** @type {string} */ (s.store.secret(s.id, 'crona.apiKey'))]) {
    assert.ok(!mail.text.includes(secret), 'no secret in the message');
  }
});

test('crona-sync smtp refuses plain SMTP across the network and a login without its password', async () => {
  const cwd = s.dir.replace(/\/data$/, '');
  const env = { PATH: process.env.PATH ?? '' };
  const plain = await runCli(['smtp', '--data', s.dir, '--host', 'mail.example.se', '--port', '25', '--tls', 'none', '--from', 'a@example.se'], { env, cwd });
  assert.deepEqual([plain.code, plain.stderr], [2, 'crona-sync smtp: Without TLS the e-mail (and the password) would cross the network in clear: use --tls starttls or implicit, or a server on this machine.\n']);
  const nopass = await runCli(['smtp', '--data', s.dir, '--host', 'mail.example.se', '--login', 'x', '--from', 'a@example.se'], { env, cwd });
  assert.deepEqual([nopass.code, nopass.stderr], [2, 'crona-sync smtp: With --login, give the password as CRONA_SYNC_SMTP_PASSWORD in the environment (never as a flag).\n']);
  smtp.close();
});
