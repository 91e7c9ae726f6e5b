// The command line on the integration service's store (--data DIR): connect seals the secrets
// into it, and later commands need nothing but the data directory; state, lease, runs and the
// error log are the store's, so a scheduled sync and the page see one truth.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../pkg/lib/service/store.js';
import { collision } from '../../pkg/lib/service/connections.js';
import { jobEnv, runCli } from './support/cli.js';
import { sandbox } from './support/sandbox.js';
import { standalone } from './support/standalone.js';

const box = await sandbox({ people: 40 });
/** Secrets only for connect; every later command gets nothing but PATH. */
const connectEnv = jobEnv(box);
const bare = { PATH: process.env.PATH ?? '' };

/** A fresh folder with a data directory holding the sandbox connection. */
async function connected(name = 'Exempel Bygg') {
  await box.control('reset', { seed: 1, people: 40 });
  const cwd = mkdtempSync(join(tmpdir(), 'crona-sync-store-cli-'));
  const r = await runCli(['connect', '--data', 'data', '--name', name], { env: connectEnv, cwd });
  assert.equal(r.code, 0, r.stderr);
  return { cwd, data: join(cwd, 'data') };
}

/** @template T @param {string} data @param {(store: Store) => T} fn @returns {T} */
function withStore(data, fn) {
  const store = Store.open(data);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

test('connect seals the secrets into the store; preview then needs nothing but --data', async () => {
  const { cwd, data } = await connected();
  const c = withStore(data, (s) => s.connections());
  // The code was exchanged once, at connect; the key it gave is kept (sealed) for later runs.
  assert.deepEqual(c.map((x) => [x.name, x.secrets]), [['Exempel Bygg', ['crona.activationCode', 'crona.apiKey', 'huma.clientSecret']]]);
  assert.equal(c[0].settings.huma.baseUrl, box.humaUrl);
  for (const file of readdirSync(data)) {
    const bytes = readFileSync(join(data, file));
    for (const secret of [box.credentials.huma.clientSecret, box.credentials.crona.activationCode]) {
      assert.ok(!bytes.includes(secret), `${file} holds a secret in clear`);
    }
  }
  const before = (await box.inspect()).seq;
  const p = await runCli(['preview', '--json', '--data', 'data'], { env: bare, cwd });
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stderr, '', 'the company is known from connect: no warning about a key alone');
  assert.deepEqual((await box.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/activate'), []);
  // The same preview as from the environment's credentials, to the count.
  const fromEnv = await runCli(['preview', '--json'], { env: connectEnv, cwd: mkdtempSync(join(tmpdir(), 'crona-sync-env-')) });
  assert.deepEqual(JSON.parse(p.stdout).counts, JSON.parse(fromEnv.stdout).counts);
  const again = await runCli(['connect', '--data', 'data', '--name', 'Exempel Bygg'], { env: connectEnv, cwd });
  assert.match(again.stdout, /Updated the connection "Exempel Bygg" in .*data, its secrets sealed\.\n$/);
});

test('sync and push keep the state, the runs and the error log in the store', async () => {
  const { cwd, data } = await connected();
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const first = await runCli(['sync', '--data', 'data', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env: bare, cwd });
  assert.equal(first.code, 0, first.stderr);
  const id = withStore(data, (s) => s.connections()[0].id);
  const { version, state } = withStore(data, (s) => s.state(id));
  assert.equal(version, 1);
  assert.ok(state.activatedAt && state.pairs.length > 30);
  assert.ok(!readdirSync(cwd).some((f) => f.endsWith('.state.json')), 'no state file beside it');
  // The state keeps fingerprints of what both sides agreed on, never the values themselves.
  const baselines = Object.values(state.baseline).flatMap((/** @type {any} */ b) => Object.values(b.fields));
  assert.ok(baselines.length > 200 && baselines.every((v) => typeof v === 'string' && /^h1:[0-9a-f]{64}$/.test(v)), 'every agreed value is a fingerprint');
  const { crona } = await box.inspect();
  const stored = withStore(data, (s) => JSON.stringify(s.db.prepare('SELECT state FROM states').all()));
  for (const e of crona.employees.slice(0, 20)) {
    for (const value of [e.Mobil, e.Adress1, e.UtbetKontoNr, e.EpostPriv].filter((v) => typeof v === 'string' && v.length > 5)) {
      assert.ok(!standalone(value).test(stored), `the state holds ${value}`);
    }
  }

  const { huma } = await box.inspect();
  const person = huma.users.find((/** @type {any} */ u) => u.active && u.employmentId && state.pairs.some((/** @type {any} */ p) => p.humaId === u.id));
  await box.control(`huma/users/${person.id}/edit`, { phone: '070-909 09 09' });
  const push = await runCli(['push', '--data', 'data', '--user', person.id], { env: bare, cwd });
  assert.equal(push.code, 0, push.stderr);
  assert.equal(withStore(data, (s) => s.state(id).version), 2);
  const runs = withStore(data, (s) => s.runs(id));
  assert.deepEqual(runs.map((r) => [r.kind, r.startedBy, r.outcome]), [['push', 'command line', 'done'], ['sync', 'command line', 'done']]);
  assert.match(runs[0].summary ?? '', /^Push of /);
  assert.equal(withStore(data, (s) => s.lease(id)), null, 'the lease is released');

  // A refused sync is a run too, with the reason in the error log: 12 of 40 people changed in
  // Huma make a mass change.
  const paired = huma.users.filter((/** @type {any} */ u) => u.active && state.pairs.some((/** @type {any} */ p) => p.humaId === u.id));
  for (const [i, u] of paired.slice(0, 12).entries()) await box.control(`huma/users/${u.id}/edit`, { phone: `070-818 18 ${String(10 + i)}` });
  const refused = await runCli(['sync', '--data', 'data', '--policy', 'policy.json', '--yes'], { env: bare, cwd });
  assert.equal(refused.code, 4, refused.stderr);
  const last = withStore(data, (s) => s.runs(id)[0]);
  assert.deepEqual([last.kind, last.outcome], ['sync', 'refused']);
  assert.deepEqual(withStore(data, (s) => s.errors(id)).map((e) => e.code), ['mass_change_refused']);
  assert.equal(withStore(data, (s) => s.state(id).version), 2, 'nothing saved');
});

test("a run on the page holds the connection's lease: the command line waits its turn (exit 4)", async () => {
  const { cwd, data } = await connected();
  const id = withStore(data, (s) => s.connections()[0].id);
  const token = withStore(data, (s) => s.takeLease(id, 'admin anna (page)', 60_000));
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify({ fields: {} }));
  const r = await runCli(['sync', '--data', 'data', '--policy', 'policy.json', '--yes'], { env: bare, cwd });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^crona-sync sync: admin anna \(page\) is running on this connection \(until .*\); wait for it to finish\.\n$/);
  withStore(data, (s) => s.releaseLease(id, token));
  const p = await runCli(['sync', '--data', 'data', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env: bare, cwd });
  assert.equal(p.code, 0, p.stderr);
});

test('with several connections, --connection NAME picks one; without it the choices are listed', async () => {
  const { cwd, data } = await connected('Exempel Bygg');
  const c = withStore(data, (s) => s.connections()[0]);
  withStore(data, (s) => s.addConnection({ name: 'Systerbolaget', settings: c.settings }));
  const none = await runCli(['preview', '--data', 'data'], { env: bare, cwd });
  assert.deepEqual([none.code, none.stderr], [2, 'crona-sync preview: The store has 2 connections ("Exempel Bygg", "Systerbolaget"): name one with --connection NAME.\n']);
  const named = await runCli(['preview', '--json', '--data', 'data', '--connection', 'Exempel Bygg'], { env: bare, cwd });
  assert.equal(named.code, 0, named.stderr);
  const missing = await runCli(['preview', '--data', 'data', '--connection', 'Annat'], { env: bare, cwd });
  assert.equal(missing.code, 2);
  const empty = await runCli(['preview', '--data', join(cwd, 'empty')], { env: bare, cwd });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /has no connection yet: run crona-sync connect --data /);
});

test('a second connection to the same Crona company or the same Huma people is refused at save', async () => {
  const { cwd, data } = await connected('Exempel Bygg');
  const r = await runCli(['connect', '--data', 'data', '--name', 'Dubblett'], { env: connectEnv, cwd });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^crona-sync connect: The connection "Exempel Bygg" already reaches Crona company .+: two connections would both write its employees\. Change that connection instead\.\n$/);
  assert.deepEqual(withStore(data, (s) => s.connections().map((c) => c.name)), ['Exempel Bygg']);
});

test('one Huma organisation may feed two connections only through groups that do not overlap', () => {
  const other = (/** @type {object} */ scope) => [{ id: 1, name: 'Bygg', createdAt: '', secrets: [], settings: { huma: { organizationId: 'org-1' }, crona: { companyId: 'c-1' }, scope } }];
  const mine = (/** @type {object} */ scope) => ({ huma: { organizationId: 'org-1' }, crona: { companyId: 'c-2' }, scope });
  assert.equal(collision(other({ companies: ['bygg'] }), mine({ companies: ['el'] })), null);
  assert.match(collision(other({ companies: ['bygg'] }), mine({ companies: ['bygg', 'el'] }))?.message ?? '', /already covers some of these Huma people/);
  assert.match(collision(other({}), mine({ teams: ['t'] }))?.message ?? '', /already covers everyone in this Huma organisation/);
  assert.match(collision(other({ teams: ['t'] }), mine({}))?.message ?? '', /already covers some of these/);
  assert.equal(collision(other({}), { huma: { organizationId: 'org-2' }, crona: { companyId: 'c-2' }, scope: {} }), null);
});

test('import brings a connection kept in files into the store once, its state and error log whole', async () => {
  await box.control('reset', { seed: 1, people: 40 });
  const cwd = mkdtempSync(join(tmpdir(), 'crona-sync-import-'));
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  assert.equal((await runCli(['connect', '--name', 'Från filer'], { env: connectEnv, cwd })).code, 0);
  assert.equal((await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env: connectEnv, cwd })).code, 0);
  writeFileSync(join(cwd, 'crona-sync.errors.jsonl'), JSON.stringify({ time: '2026-12-01T08:00:00Z', code: 'invalid_field', message: 'Mobil is too long' }) + '\n{"cut sh');
  const files = JSON.parse(readFileSync(join(cwd, 'crona-sync.state.json'), 'utf8'));

  const r = await runCli(['import', '--data', 'data'], { env: connectEnv, cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Imported "Från filer" into .*data: the connection, its secrets \\(sealed\\), the state \\(${files.pairs.length} pairs, active since ${files.activatedAt.replace(/[.+]/g, '\\$&')}\\) and 1 error log entry\\.`));
  const [c] = withStore(join(cwd, 'data'), (s) => s.connections());
  const stored = withStore(join(cwd, 'data'), (s) => s.state(c.id));
  assert.equal(stored.version, 1);
  assert.deepEqual([stored.state.pairs, stored.state.baseline, stored.state.activatedAt], [files.pairs, files.baseline, files.activatedAt]);
  assert.deepEqual(withStore(join(cwd, 'data'), (s) => s.errors(c.id)).map((e) => [e.at, e.code]), [['2026-12-01T08:00:00Z', 'invalid_field']]);

  // The store goes on where the files ended: an active connection, not a first sync.
  const before = (await box.inspect()).seq;
  const p = await runCli(['preview', '--json', '--data', 'data'], { env: bare, cwd });
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stderr, '', 'the company is known from connect: no warning about a key alone');
  assert.deepEqual((await box.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/activate'), []);
  assert.ok(!JSON.parse(p.stdout).notices.some((/** @type {any} */ n) => n.code === 'positions_recorded_not_sent'));
  const again = await runCli(['import', '--data', 'data'], { env: connectEnv, cwd });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already has the connection "Från filer" with a sync state; it was imported or connected before\. Nothing was changed\./);
});
