// Fetch → preview through drive() against the sandbox: the preview must list exactly what the
// sandbox's generator planted — the same differences, blockers and one-side-only people.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronaSyncError, SyncSession, cronaTransport, drive, humaTransport } from 'crona-sync';
import { sandbox } from './support/sandbox.js';

const box = await sandbox({ people: 40 });
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const CONFIG = { today: '2026-11-25', now: '2026-11-25T10:00:00+01:00' };

/** @param {import('crona-sync').SessionConfig} [config] */
async function preview(config = CONFIG) {
  const session = new SyncSession(config);
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });
  await drive(session, { huma, crona }, { concurrency: 6 });
  assert.equal(session.phase, 'preview');
  return session.preview();
}

/** @typedef {{ kind: string, field?: string, part?: string, humaId?: string, humaIds?: string[], anstNr?: string, anstNrs?: string[], huma?: unknown, crona?: unknown }} Planted */
/** @type {Planted[]} */
const planted = box.planted;
const of = (/** @type {string} */ kind) => planted.filter((p) => p.kind === kind);

/** The differences the plants imply: `humaId field kind`. */
function expectedDifferences() {
  const out = new Set();
  const add = (/** @type {string|undefined} */ id, /** @type {string|undefined} */ field, /** @type {string} */ kind) => out.add(`${id} ${field} ${kind}`);
  const kindOf = (/** @type {Planted} */ p) => (p.huma != null && p.crona != null ? 'conflict' : p.huma == null ? 'missingInHuma' : 'missingInCrona');
  for (const p of [...of('conflict'), ...of('missingInHuma'), ...of('missingInCrona')]) {
    // Address is one composite field: a part missing on one side is a conflict of the whole.
    add(p.humaId, p.field, kindOf(p));
  }
  for (const kind of ['deactivated', 'notEditable', 'invalidBankAccountHuma', 'invalidBankAccountCrona', 'internationalBankAccount', 'invalidPhoneHuma', 'invalidPrivateEmailCrona']) {
    for (const p of of(kind)) add(p.humaId, p.field, kindOf(p));
  }
  // "the second also differs from its AnstNr"
  for (const p of of('duplicateEmploymentIdHuma')) add(p.humaIds?.[1], 'employmentId', 'conflict');
  return out;
}

/** The blockers the plants imply: `code who field`. */
function expectedBlockers() {
  const out = new Set();
  const add = (/** @type {string} */ code, /** @type {string|undefined} */ who, /** @type {string|undefined} */ field) => out.add(`${code} ${who} ${field}`);
  for (const p of of('duplicateEmailCrona')) {
    add('duplicate_email', p.humaId, 'email');
    for (const a of p.anstNrs ?? []) add('duplicate_email', a, 'email');
  }
  for (const p of of('deactivated')) add('deactivated', p.humaId, p.field);
  for (const p of of('notEditable')) add('not_editable', p.humaId, p.field);
  for (const p of of('invalidBankAccountHuma')) add('E_CHECKSUM', p.humaId, p.field);
  for (const p of of('invalidBankAccountCrona')) add('E_CHECKSUM', p.humaId, p.field);
  for (const p of of('internationalBankAccount')) add('international_account', p.humaId, p.field);
  for (const p of of('duplicatePhoneHuma')) for (const id of p.humaIds ?? []) add('duplicate_phone', id, 'phone');
  for (const p of of('duplicateEmploymentIdHuma')) for (const id of p.humaIds ?? []) add('duplicate_employment_id', id, 'employmentId');
  for (const p of of('invalidPhoneHuma')) add('invalid_phone', p.humaId, p.field);
  for (const p of of('invalidPrivateEmailCrona')) add('invalid_email', p.humaId, p.field);
  return out;
}

test('the preview lists exactly the planted differences', async () => {
  const p = await preview();
  const got = new Set(p.differences.map((d) => `${d.person.humaId} ${d.field} ${d.kind}`));
  assert.deepEqual([...got].sort(), [...expectedDifferences()].sort());
  assert.equal(p.counts.differences, p.differences.length);
});

test('the preview lists exactly the planted blockers, each with a reason', async () => {
  const p = await preview();
  // A Crona employee in a duplicate is named by AnstNr; everyone else by Huma id.
  const key = (/** @type {import('crona-sync').Blocker} */ b) =>
    `${b.code} ${b.system === 'crona' && b.code === 'duplicate_email' ? b.person?.anstNr : b.person?.humaId} ${b.field}`;
  assert.deepEqual(p.blockers.map(key).sort(), [...expectedBlockers()].sort());
  for (const b of p.blockers) assert.ok(b.message.length > 20 && b.person?.name, b.code);
});

test('one-side-only people are listed with whether they can be created, and why not', async () => {
  const p = await preview();
  const huma = new Map(p.onlyInHuma.map((o) => [o.person.humaId, o]));
  const crona = new Map(p.onlyInCrona.map((o) => [o.person.anstNr, o]));
  const expectHuma = [...of('onlyInHuma'), ...of('onlyInHumaNoEmploymentId'), ...of('deactivatedOnlyInHuma'), ...of('outOfScope')];
  assert.deepEqual([...huma.keys()].sort(), expectHuma.map((x) => x.humaId).sort());
  assert.deepEqual([...crona.keys()].sort(), [...of('onlyInCrona'), ...of('onlyInCronaNoEmail')].map((x) => x.anstNr).sort());
  assert.equal(huma.get(of('onlyInHuma')[0].humaId)?.creatable, true);
  assert.deepEqual(huma.get(of('onlyInHumaNoEmploymentId')[0].humaId)?.reasons.map((r) => r.code), ['missing_employment_id']);
  assert.deepEqual(huma.get(of('deactivatedOnlyInHuma')[0].humaId)?.reasons.map((r) => r.code), ['deactivated']);
  assert.equal(crona.get(of('onlyInCrona')[0].anstNr)?.creatable, true);
  assert.deepEqual(crona.get(of('onlyInCronaNoEmail')[0].anstNr)?.reasons.map((r) => r.code), ['missing_email']);
});

test('what each difference offers follows the rules', async () => {
  const p = await preview();
  const find = (/** @type {string|undefined} */ id, /** @type {string} */ field) => p.differences.find((d) => d.person.humaId === id && d.field === field);
  // Employment ID: only "update Huma from Crona" or leave.
  const emp = find(of('conflict').find((x) => x.field === 'employmentId')?.humaId, 'employmentId');
  assert.deepEqual(emp?.allowed, ['crona', 'leave']);
  assert.ok(emp?.notes.some((n) => n.code === 'anstnr_immutable'));
  // Locked in Huma: Crona can't win either.
  assert.deepEqual(find(of('notEditable')[0].humaId, 'employmentId')?.allowed, ['leave']);
  // Deactivated: Crona → Huma skipped.
  assert.deepEqual(find(of('deactivated')[0].humaId, 'phone')?.allowed, ['huma', 'leave']);
  // An invalid account is never copied; the valid side may win.
  assert.deepEqual(find(of('invalidBankAccountHuma')[0].humaId, 'bankAccount')?.allowed, ['crona', 'leave']);
  assert.deepEqual(find(of('invalidBankAccountCrona')[0].humaId, 'bankAccount')?.allowed, ['huma', 'leave']);
  // A first sync suggests filling the empty side and nothing for conflicts.
  for (const d of p.differences) {
    if (d.kind === 'conflict') assert.equal(d.suggestion, undefined, d.id);
    if (d.kind === 'missingInCrona' && d.allowed.includes('huma')) assert.equal(d.suggestion, 'huma', d.id);
    if (d.kind === 'missingInHuma' && d.allowed.includes('crona')) assert.equal(d.suggestion, 'crona', d.id);
    assert.equal(d.baseline, null);
  }
  // The address parts that differ are named.
  const moved = find(of('conflict').find((x) => x.field === 'address' && x.part === 'postalCode')?.humaId, 'address');
  assert.ok(moved?.notes.some((n) => n.code === 'address_parts' && /postal code/.test(n.message)), JSON.stringify(moved?.notes));
  assert.deepEqual(p.willSet, [], 'a first sync sends no position values for matched people');
});

test('429s and latency change nothing in the preview', async () => {
  const clean = await preview();
  await box.faults([
    { system: 'any', kind: 'latency', latencyMs: 5 },
    { system: 'huma', method: 'GET', path: '^/users/', kind: 'status', status: 429, retryAfter: '0', probability: 0.2, seed: 7 },
    { system: 'crona', kind: 'status', status: 503, count: 1 },
  ]);
  try {
    assert.deepEqual(await preview(), clean);
  } finally {
    await box.clearFaults();
  }
});

test('a failed fetch ends with an error naming system, request and status — never a partial preview', async () => {
  await box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 500 }]);
  try {
    const session = new SyncSession(CONFIG);
    const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
    const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });
    await assert.rejects(drive(session, { huma, crona }), (e) => {
      assert.ok(e instanceof CronaSyncError);
      assert.equal(e.code, 'fetch_unavailable');
      assert.match(e.message, /^Crona GET \/api\/v1\/employees failed: 500/);
      assert.deepEqual(/** @type {any} */ (e.details).status, 500);
      assert.deepEqual(/** @type {any} */ (e.details).transient, true);
      return true;
    });
    assert.equal(session.phase, 'failed');
    assert.throws(() => session.preview(), { code: 'fetch_unavailable' });
    assert.deepEqual(session.poll(), []);
  } finally {
    await box.clearFaults();
  }
});

test("a connection scoped to one Huma company leaves the sister company's people out", async () => {
  const state = await box.inspect();
  const main = state.huma.groups.find((/** @type {any} */ g) => g.type === 'company' && g.name === 'Exempel Bygg AB');
  const all = await preview();
  const scoped = await preview({ ...CONFIG, scope: { companies: [main.id] } });
  const outside = new Set(of('outOfScope').map((p) => p.humaId));
  assert.equal(outside.size, 2);
  assert.ok(all.onlyInHuma.some((o) => outside.has(o.person.humaId)), 'without a scope they are Huma-only people');
  assert.ok(!scoped.onlyInHuma.some((o) => outside.has(o.person.humaId)), 'with it they are not fetched at all');
  assert.equal(scoped.counts.huma, all.counts.huma - 2);
  assert.deepEqual(scoped.differences, all.differences, 'nobody else is affected');
});

test('plan() turns decisions into requests, cheaply and without side effects', async () => {
  const session = new SyncSession(CONFIG);
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });
  await drive(session, { huma, crona });
  const { requests } = await box.inspect();
  const seq = requests[requests.length - 1].seq;
  const plan = session.plan({ createInCrona: 'all', createInHuma: 'all' });
  assert.match(plan.hash, /^[0-9a-f]{16}$/);
  const ids = (/** @type {string} */ kind, /** @type {'humaId' | 'anstNr'} */ key) =>
    plan.operations.filter((o) => o.kind === kind).map((o) => o.person[key]).sort();
  assert.deepEqual(ids('createCrona', 'humaId'), session.preview().onlyInHuma.filter((o) => o.creatable).map((o) => o.person.humaId).sort());
  assert.deepEqual(ids('createHuma', 'anstNr'), session.preview().onlyInCrona.filter((o) => o.creatable).map((o) => o.person.anstNr).sort());
  assert.ok(plan.operations.every((o) => o.request.body && o.description.length > 10));
  assert.match(plan.summary, /^Update \d+ employees in Crona, update \d+ users in Huma, create \d+ employees? in Crona, create 1 user in Huma\./);
  assert.deepEqual(session.plan({ createInCrona: 'all', createInHuma: 'all' }), plan, 'deterministic');
  assert.throws(() => session.plan({ choices: { nope: 'huma' } }), (e) => e instanceof CronaSyncError && e.code === 'invalid_argument');
  assert.throws(() => session.plan(/** @type {any} */ ({ choises: {} })), { code: 'invalid_argument' });
  const after = await box.inspect(seq);
  assert.deepEqual(after.requests, [], 'planning sends nothing');
});
