// A whole sync through the integration service with the real wasm core in Node, as the page
// runs it: the run started (verified, leased), both registers read through the relay, the plan
// written through the relay, the run finished with the state saved. Afterwards the data
// directory holds no secret, and no bank account, address or private e-mail outside the run
// reports (the audit trail).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { service } from './support/service.js';
import { pageSync } from './support/page-sync.js';
import { standalone } from './support/standalone.js';

const s = await service({ sandbox: { people: 30, drift: 0.3 } });
const cookie = await s.signIn();

/** @type {Awaited<ReturnType<typeof sync>>} */
let first;

/** One page-style sync. @param {import('../../pkg/index.js').Decisions} decisions */
function sync(decisions) {
  return pageSync(s, cookie, decisions);
}

test('a first sync through the relay writes the plan, and the service keeps its state, run and who ran it', async () => {
  const before = (await s.box.inspect()).seq;
  first = await sync({ fieldDefaults: { bankAccount: 'crona' }, createInCrona: 'all', createInHuma: 'all' });
  const { plan, report, finish } = first;
  assert.deepEqual([finish.status, finish.json], [200, { stateVersion: 1 }]);
  assert.deepEqual(report.errors, []);
  // Every operation went through the relay once; a Huma create has its follow-up PATCH.
  const followUps = plan.operations.filter((o) => o.kind === 'createHuma' && o.thenFields?.length).length;
  assert.ok(plan.operations.length > 10);
  assert.equal((await s.box.inspect(before)).writes.length, plan.operations.length + followUps);
  assert.equal(report.summary.counts.created + report.summary.counts.updated, plan.operations.length);
  const conn = (await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie })).json.connection;
  assert.equal(conn.active, true);
  assert.equal(conn.lease, null);
  assert.deepEqual(conn.runs.map((/** @type {any} */ r) => [r.kind, r.startedBy, r.outcome, r.summary]), [['sync', 'anna', report.errors.length ? 'failed' : 'done', report.summary.text]]);
});

test('the next sync starts from the saved state: nothing left to write', async () => {
  const before = (await s.box.inspect()).seq;
  const { preview, plan, finish } = await sync({});
  assert.deepEqual([finish.status, finish.json], [200, { stateVersion: 2 }]);
  const created = first.report.summary.counts.created;
  const was = first.preview.counts;
  assert.equal(preview.counts.matched, was.matched + created);
  assert.equal(preview.counts.onlyInHuma + preview.counts.onlyInCrona, was.onlyInHuma + was.onlyInCrona - created);
  assert.deepEqual(plan.operations, []);
  assert.deepEqual((await s.box.inspect(before)).writes, []);
});

test('the data directory holds no secret and no bank account, address or private e-mail outside run reports', async () => {
  const { huma, crona } = await s.box.inspect();
  const personal = new Set();
  for (const e of crona.employees) for (const v of [e.UtbetKontoNr, e.Adress1, e.EpostPriv, e.Mobil]) if (typeof v === 'string' && v.length > 6) personal.add(v);
  for (const u of huma.users) for (const v of [u.homeAddress?.line1, u.bankAccount?.accountNumber, u.personalEmail]) if (typeof v === 'string' && v.length > 6) personal.add(v);
  assert.ok(personal.size > 60, `${personal.size} values to look for`);
  const secrets = [s.credentials.huma.clientSecret, s.credentials.crona.activationCode, /** @type {string} */ (s.store.secret(s.id, 'crona.apiKey'))];
  // The reports are the audit trail and keep what was written: look everywhere else.
  s.store.db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = join(s.dir, '..', 'without-reports.db');
  copyFileSync(join(s.dir, 'crona-sync.db'), copy);
  const db = new Database(copy);
  db.exec('UPDATE runs SET report = NULL; VACUUM;');
  db.close();
  const files = [copy, ...readdirSync(s.dir).filter((f) => f !== 'crona-sync.db' && f !== 'secret.key').map((f) => join(s.dir, f))];
  for (const file of files) {
    const bytes = readFileSync(file).toString('utf8');
    // As a value, not as a run of digits inside a fingerprint or an id (hex holds any digits).
    for (const v of [...personal, ...secrets]) assert.ok(!standalone(v).test(bytes), `${v} in ${file}`);
  }
  // The reports do hold what was written, as an audit trail should.
  const reports = JSON.stringify(s.store.runs(s.id).map((r) => s.store.report(r.id)));
  assert.ok([...personal].some((v) => reports.includes(v)));
});
