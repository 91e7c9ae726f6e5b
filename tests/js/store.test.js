// The integration service's store (pkg/lib/service/store.js) on a real SQLite file: migrations,
// sealed secrets that never sit in the file in clear, versioned state, leases that expire, a
// kill in the middle of a write, an online backup.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS, LATEST } from '../../pkg/lib/service/migrations.js';
import { Store } from '../../pkg/lib/service/store.js';

const STORE = new URL('../../pkg/lib/service/store.js', import.meta.url).pathname;
const SECRET = 'huma-client-secret-7f3a91c2e8';
const KEY = 'crona-api-key-b41d09e6aa';

const dataDir = () => join(mkdtempSync(join(tmpdir(), 'crona-sync-store-')), 'data');

/** A clock the test moves. */
function clock(start = '2026-12-03T10:00:00.000Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (/** @type {number} */ ms) => (t += ms) };
}

const SETTINGS = { huma: { baseUrl: 'https://api.humahr.com', clientId: 'client-1' }, crona: { baseUrl: 'https://crona.example', companyName: 'Exempel Bygg AB' }, scope: {} };

test('a new store: the folder 0700, the key file 0600, the schema at the latest version', () => {
  const dir = dataDir();
  const store = Store.open(dir, { env: {} });
  assert.equal(store.version, LATEST);
  assert.equal(LATEST, 5);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'crona-sync.db')).mode & 0o777, 0o600);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  store.close();
  // Opening again changes nothing and keeps the key.
  const key = readFileSync(join(dir, 'secret.key'), 'utf8');
  Store.open(dir, { env: {} }).close();
  assert.equal(readFileSync(join(dir, 'secret.key'), 'utf8'), key);
});

test('a store at an earlier schema is migrated at start, its data kept; a newer one is refused', () => {
  const dir = dataDir();
  Store.open(dir, { env: {} }).close(); // the folder and key
  const db = new Database(join(dir, 'crona-sync.db'));
  db.exec('DROP INDEX runs_by_connection; DROP INDEX errors_by_connection; DROP INDEX queue_by_status; DROP TABLE sessions; DROP TABLE links; DROP TABLE service_settings; ALTER TABLE runs DROP COLUMN lease_hash; ALTER TABLE runs DROP COLUMN based_on;');
  db.pragma('user_version = 1');
  db.prepare("INSERT INTO connections (name, settings, created_at, updated_at) VALUES ('Gammal', '{}', 'x', 'x')").run();
  db.prepare("INSERT INTO admins (name, password_hash, created_at) VALUES ('anna', 'scrypt$x', 'x')").run();
  db.close();
  const store = Store.open(dir, { env: {} });
  assert.equal(store.version, 5);
  // Version 3's sessions work for the administrator version 1 kept.
  const token = store.createSession(/** @type {{ id: number }} */ (store.admin('anna')).id, 60_000);
  assert.deepEqual(store.sessionAdmin(token), { id: 1, name: 'anna' });
  assert.deepEqual(store.connections().map((c) => c.name), ['Gammal']);
  const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_%' ORDER BY name").all().map((/** @type {any} */ r) => r.name);
  assert.deepEqual(indexes, ['errors_by_connection', 'queue_by_status', 'runs_by_connection']);
  // Version 4's columns are there for the runs to come.
  assert.deepEqual(store.db.prepare('SELECT lease_hash, based_on FROM runs').all(), []);
  store.db.pragma('user_version = 99');
  store.close();
  assert.throws(() => Store.open(dir, { env: {} }), { code: 'store_too_new' });
  assert.deepEqual(MIGRATIONS.map((m) => m.version), [1, 2, 3, 4, 5]);
});

test('secrets are sealed: readable through the store, nowhere in the files in clear', () => {
  const dir = dataDir();
  const store = Store.open(dir, { env: {} });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS, secrets: { 'huma.clientSecret': SECRET, 'crona.apiKey': KEY } });
  assert.equal(store.secret(id, 'huma.clientSecret'), SECRET);
  assert.equal(store.secret(id, 'crona.apiKey'), KEY);
  assert.equal(store.secret(id, 'webhook.secret'), null);
  assert.deepEqual(store.connection('Exempel Bygg')?.secrets, ['crona.apiKey', 'huma.clientSecret']);
  assert.ok(!JSON.stringify(store.connections()).includes(SECRET), 'listing a connection never shows a secret');
  store.db.pragma('wal_checkpoint(FULL)');
  for (const file of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, file));
    assert.ok(!bytes.includes(SECRET) && !bytes.includes(KEY), `${file} holds a secret in clear`);
  }
  // A sealed value copied onto another connection doesn't open there.
  const other = store.addConnection({ name: 'Annan', settings: SETTINGS });
  const sealed = /** @type {any} */ (store.db.prepare("SELECT sealed FROM secrets WHERE connection_id = ? AND name = 'crona.apiKey'").get(id)).sealed;
  store.db.prepare("INSERT INTO secrets (connection_id, name, sealed, updated_at) VALUES (?, 'crona.apiKey', ?, 'x')").run(other, sealed);
  assert.throws(() => store.secret(other, 'crona.apiKey'), { code: 'sealed_secret_invalid' });
  store.close();
  // Another key opens nothing; the right one from the environment does.
  const wrong = Store.open(dir, { env: { CRONA_SYNC_KEY: 'ab'.repeat(32) } });
  assert.throws(() => wrong.secret(id, 'huma.clientSecret'), { code: 'sealed_secret_invalid' });
  wrong.close();
  const right = Store.open(dir, { env: { CRONA_SYNC_KEY: readFileSync(join(dir, 'secret.key'), 'utf8') } });
  assert.equal(right.secret(id, 'huma.clientSecret'), SECRET);
  right.close();
  assert.throws(() => Store.open(dir, { env: { CRONA_SYNC_KEY: 'too-short' } }), { code: 'invalid_config' });
});

test('a state is saved only over the version its run started from', () => {
  const store = Store.open(dataDir(), { env: {} });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS });
  assert.deepEqual(store.state(id), { version: 0, state: null, savedAt: null });
  assert.equal(store.saveState(id, { activatedAt: '2026-12-03T10:00:00Z', pairs: [] }, 0), 1);
  // Two runs started from version 1: the first to finish saves; the second is told why not.
  assert.equal(store.saveState(id, { activatedAt: '2026-12-03T10:00:00Z', pairs: [{ humaId: 'u1', anstNr: '1001' }] }, 1), 2);
  assert.throws(() => store.saveState(id, { pairs: [] }, 1), (/** @type {any} */ e) => {
    assert.equal(e.code, 'state_conflict');
    assert.deepEqual(e.details, { basedOn: 1, current: 2 });
    return true;
  });
  assert.deepEqual(store.state(id).state.pairs, [{ humaId: 'u1', anstNr: '1001' }]);
  assert.throws(() => store.saveState(999, {}, 0), { code: 'not_found' });
  store.close();
});

test('one lease per connection: refused while held, taken over once it expired', () => {
  const c = clock();
  const store = Store.open(dataDir(), { env: {}, now: c.now });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS });
  const token = store.takeLease(id, 'admin anna (page)', 60_000);
  assert.throws(() => store.takeLease(id, 'cli sync (pid 4242)', 60_000), (/** @type {any} */ e) => {
    assert.equal(e.code, 'locked');
    assert.equal(e.message, 'admin anna (page) is running on this connection (until 2026-12-03T10:01:00.000Z at the latest); wait for it to finish.');
    return true;
  });
  assert.deepEqual(store.lease(id), { holder: 'admin anna (page)', takenAt: '2026-12-03T10:00:00.000Z', expiresAt: '2026-12-03T10:01:00.000Z' });
  c.advance(30_000);
  assert.equal(store.renewLease(id, token, 60_000), true);
  c.advance(59_000);
  assert.throws(() => store.takeLease(id, 'cli', 60_000), { code: 'locked' });
  // The holder crashed: its lease runs out and the next run takes over.
  c.advance(2_000);
  assert.equal(store.lease(id), null);
  const next = store.takeLease(id, 'cli sync (pid 4242)', 60_000);
  assert.equal(store.renewLease(id, token, 60_000), false, 'the old holder learns it lost the lease');
  store.releaseLease(id, token); // not its lease any more: nothing happens
  assert.equal(store.lease(id)?.holder, 'cli sync (pid 4242)');
  store.releaseLease(id, next);
  assert.equal(store.lease(id), null);
  store.close();
});

test('runs and their errors are recorded in one transaction; old ones are pruned', () => {
  const c = clock();
  const store = Store.open(dataDir(), { env: {}, now: c.now });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS });
  const run = store.startRun(id, 'sync', 'admin anna');
  store.finishRun(run, { outcome: 'failed', summary: '1 write failed', report: { summary: { text: '1 write failed' } }, errors: [{ code: 'invalid_field', message: 'Mobil is too long' }] });
  assert.deepEqual(store.runs(id).map((r) => [r.kind, r.startedBy, r.outcome, r.summary]), [['sync', 'admin anna', 'failed', '1 write failed']]);
  assert.deepEqual(store.errors(id).map((e) => [e.runId, e.code, e.message]), [[run, 'invalid_field', 'Mobil is too long']]);
  assert.deepEqual(store.report(run), { summary: { text: '1 write failed' } });
  c.advance(91 * 86_400_000);
  store.finishRun(store.startRun(id, 'push', 'webhooks'), { outcome: 'done', summary: 'nothing to write' });
  assert.equal(store.prune(90), 1);
  assert.deepEqual(store.runs(id).map((r) => r.kind), ['push']);
  assert.deepEqual(store.errors(id), []);
  store.close();
});

test('queued events keep their numbers forever and are finished or held, never lost', () => {
  const store = Store.open(dataDir(), { env: {} });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS });
  const a = store.enqueue(id, 'users-update', ['u1']);
  const b = store.enqueue(id, 'users-update', ['u2', 'u3']);
  store.holdEvents([b], 'mass_change_refused', 'a push of 2 people needs approval');
  store.finishEvents([a]);
  assert.deepEqual(store.events(id, 'queued'), []);
  assert.deepEqual(store.events(id, 'held').map((e) => [e.seq, e.ids, e.heldCode]), [[b, ['u2', 'u3'], 'mass_change_refused']]);
  store.db.prepare('DELETE FROM queue').run();
  assert.equal(store.enqueue(id, 'users-update', ['u4']), b + 1, 'a number is never given twice');
  store.close();
});

test('a kill in the middle of a write leaves the store as it was before that write', async () => {
  const dir = dataDir();
  const store = Store.open(dir, { env: {} });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS });
  store.saveState(id, { pairs: [{ humaId: 'u1', anstNr: '1001' }] }, 0);
  store.close();
  // A child writes a long transaction and says when it is inside it; it is killed there.
  const script = `
    import { Store } from ${JSON.stringify(STORE)};
    const store = Store.open(${JSON.stringify(dir)}, { env: {} });
    store.db.transaction(() => {
      for (let i = 0; i < 2000; i++) store.startRun(${id}, 'sync', 'cli');
      process.stdout.write('inside\\n');
      for (let i = 0; ; i++) store.db.prepare('INSERT INTO errors (connection_id, at, entry) VALUES (?, ?, ?)').run(${id}, 'x', '{}');
    })();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('inside') && resolve(undefined));
    child.on('close', (code) => reject(new Error(`the child ended first (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
  const after = Store.open(dir, { env: {} });
  assert.equal(after.db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(after.runs(id), [], 'none of the half-written runs');
  assert.deepEqual(after.errors(id), []);
  assert.deepEqual(after.state(id).state, { pairs: [{ humaId: 'u1', anstNr: '1001' }] });
  after.close();
});

test('an online backup is a consistent copy, made while the store is open', async () => {
  const dir = dataDir();
  const store = Store.open(dir, { env: {} });
  const id = store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS, secrets: { 'crona.apiKey': KEY } });
  store.saveState(id, { pairs: [] }, 0);
  const file = join(mkdtempSync(join(tmpdir(), 'crona-sync-backup-')), 'backup.db');
  await store.backup(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!readFileSync(file).includes(KEY), 'the backup holds the secret sealed only');
  store.close();
  const copy = new Database(file, { readonly: true });
  assert.deepEqual(copy.prepare('SELECT name FROM connections').all(), [{ name: 'Exempel Bygg' }]);
  assert.equal(copy.pragma('user_version', { simple: true }), LATEST);
  copy.close();
});

test('crona-sync backup FILE --data DIR copies the store; it never overwrites a file', async () => {
  const { runCli } = await import('./support/cli.js');
  const dir = dataDir();
  const store = Store.open(dir, { env: {} });
  store.addConnection({ name: 'Exempel Bygg', settings: SETTINGS, secrets: { 'crona.apiKey': KEY } });
  store.close();
  const out = join(mkdtempSync(join(tmpdir(), 'crona-sync-backup-')), 'copy.db');
  const env = { PATH: process.env.PATH ?? '' };
  const r = await runCli(['backup', out, '--data', dir], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `Backed up 1 connection from ${dir} to ${out} (secrets sealed; keep the key apart from it).\n`);
  const copy = new Database(out, { readonly: true });
  assert.deepEqual(copy.prepare('SELECT name FROM connections').all(), [{ name: 'Exempel Bygg' }]);
  copy.close();
  const again = await runCli(['backup', out, '--data', dir], { env });
  assert.deepEqual([again.code, again.stderr], [2, `crona-sync backup: ${out} exists already; name a new file (a backup never overwrites one).\n`]);
  const none = await runCli(['backup', '--data', dir], { env });
  assert.equal(none.code, 2);
  const extra = await runCli(['backup', out, 'more', '--data', dir], { env });
  assert.deepEqual([extra.code, extra.stderr], [2, "crona-sync backup: unexpected argument 'more'. Run 'crona-sync backup --help'.\n"]);
});
