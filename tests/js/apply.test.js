// A whole first sync through drive() against the sandbox: decide, plan, apply, verify, report,
// and a second sync that converges. What was written is checked from the sandbox's side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronaSyncError, SyncSession, cronaTransport, drive, humaTransport } from 'crona-sync';
import { sandbox } from './support/sandbox.js';

const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const CONFIG = { today: '2026-11-25', now: '2026-11-25T10:00:00+01:00' };

/** @param {Awaited<ReturnType<typeof sandbox>>} box */
function transports(box) {
  return {
    huma: humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST }),
    crona: cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST }),
  };
}

/** @param {Awaited<ReturnType<typeof sandbox>>} box @param {object | null} [state] */
async function previewed(box, state = null) {
  const session = new SyncSession({ ...CONFIG, state });
  await drive(session, transports(box), { concurrency: 6 });
  return session;
}

/** Every conflict goes to the side that may win (Huma first); suggestions fill the rest. */
/** @param {import('crona-sync').Preview} p */
function decide(p) {
  /** @type {Record<string, import('crona-sync').Choice>} */
  const choices = {};
  for (const d of p.differences) if (d.kind === 'conflict') choices[d.id] = d.allowed.includes('huma') ? 'huma' : d.allowed[0];
  return { choices, createInCrona: /** @type {const} */ ('all'), createInHuma: /** @type {const} */ ('all') };
}

/** @param {{ method: string, path: string, body?: string | object }} r */
const key = (r) => `${r.method} ${r.path} ${JSON.stringify(typeof r.body === 'string' ? JSON.parse(r.body) : r.body ?? null)}`;

test('a first sync writes exactly the plan, survives 429/503, reports the 500 it got, and the next sync converges', async () => {
  const box = await sandbox({ people: 40 });
  const session = await previewed(box);
  const plan = session.plan(decide(session.preview()));
  const victim = plan.operations.find((o) => o.kind === 'updateCrona');
  assert.ok(victim);
  await box.faults([
    { system: 'crona', method: 'PATCH', path: `^${victim.request.path}$`, kind: 'status', status: 500 },
    { system: 'crona', method: 'PATCH', kind: 'status', status: 503, count: 1 },
    { system: 'huma', method: 'PATCH', kind: 'status', status: 429, retryAfter: '0', count: 2 },
  ]);
  const { requests } = await box.inspect();
  const since = requests[requests.length - 1].seq;
  session.apply(plan.hash, { allowMassChange: true });
  await drive(session, transports(box), { concurrency: 6 });
  await box.clearFaults();
  assert.equal(session.phase, 'done');
  const report = session.report();

  // From the sandbox's side: the writes that took effect are exactly the planned ones, plus the
  // follow-up PATCH of the Huma user created; the only others are the injected faults.
  const { writes } = await box.inspect(since);
  const landed = writes.filter((/** @type {any} */ w) => !w.fault && w.status >= 200 && w.status < 300).map(key).sort();
  const created = report.outcomes.find((o) => o.operationId.endsWith(':details'));
  const expected = plan.operations.filter((o) => o !== victim).map((o) => key(o.request));
  if (created) expected.push(key({ method: 'PATCH', path: `/users/${created.person.humaId}`, body: writes.find((/** @type {any} */ w) => w.path === `/users/${created.person.humaId}`)?.body }));
  assert.deepEqual(landed, expected.sort());
  assert.ok(writes.every((/** @type {any} */ w) => w.fault || (w.status >= 200 && w.status < 300) || w.path === victim.request.path), 'no unplanned write');

  // The report names exactly the failure.
  assert.deepEqual(report.errors.map((e) => [e.person.anstNr, e.status, e.system]), [[victim.person.anstNr, 500, 'crona']]);
  assert.equal(report.summary.counts.failed, 1);
  assert.match(report.summary.text, /1 write failed: .+ in Crona: /);
  assert.ok(report.remaining.some((r) => r.reason === 'failed' && r.difference.person.anstNr === victim.person.anstNr));

  // A second sync from the stored state shows exactly what the report said remains.
  const again = await previewed(box, report.nextState);
  assert.deepEqual(again.preview().differences.map((d) => d.id).sort(), report.remaining.map((r) => r.difference.id).sort());
  assert.equal(again.preview().onlyInHuma.filter((o) => o.creatable).length, 0, 'everyone creatable was created');
});

test('after a clean run the next sync shows only what was left by choice or blocked', async () => {
  const box = await sandbox({ people: 40, seed: 2 });
  const session = await previewed(box);
  session.apply(session.plan(decide(session.preview())).hash, { allowMassChange: true });
  await drive(session, transports(box));
  const report = session.report();
  assert.equal(report.errors.length, 0);
  assert.ok(report.remaining.every((r) => ['leftByChoice', 'blocked', 'would_clear', 'not_allowed'].includes(r.reason)), JSON.stringify(report.remaining.map((r) => r.reason)));
  const again = (await previewed(box, report.nextState)).preview();
  assert.equal(again.differences.length, report.remaining.length);
  // Left as it is, a difference never agreed: no side "changed", nothing is suggested.
  assert.ok(again.differences.every((d) => d.changedSince === null && d.suggestion === undefined));
});

test('a bulk choice never clears a value', async () => {
  const box = await sandbox({ people: 40, seed: 3 });
  const session = await previewed(box);
  const fieldDefaults = /** @type {const} */ ({ email: 'huma', givenName: 'huma', familyName: 'huma', address: 'huma', phone: 'huma', bankAccount: 'huma', privateEmail: 'huma', employmentId: 'crona' });
  const before = await box.inspect();
  const since = before.requests[before.requests.length - 1].seq;
  /** @type {Map<string, Record<string, unknown>>} */
  const employees = new Map(before.crona.employees.map((/** @type {any} */ e) => [e.AnstNr, e]));
  session.apply(session.plan({ fieldDefaults }).hash, { allowMassChange: true });
  await drive(session, transports(box));
  const { writes } = await box.inspect(since);
  assert.ok(writes.length > 0);
  const empty = (/** @type {unknown} */ v) => v === '' || v === null || v === undefined;
  for (const w of writes) {
    const was = w.system === 'crona' ? employees.get(String(String(w.path).split('/').pop())) : undefined;
    for (const [field, value] of Object.entries(w.body ?? {})) {
      if (field === 'homeAddress') {
        // Huma's own line 3 is kept as Huma had it; every other part is filled.
        for (const [part, v] of Object.entries(/** @type {Record<string, unknown>} */ (value))) {
          if (part !== 'line3' && part !== 'line2') assert.ok(!empty(v), `${w.path} cleared homeAddress.${part}`);
        }
        continue;
      }
      // A Crona address part may be written empty only where it already was.
      if (empty(value)) assert.ok(was && empty(was[field]), `${w.method} ${w.path} cleared ${field}`);
    }
  }
});

test('an interrupted run, planned again, creates nobody twice', async () => {
  const box = await sandbox({ people: 40, seed: 4 });
  const first = await previewed(box);
  const plan = first.plan({ createInCrona: 'all', useSuggestions: false });
  assert.ok(plan.counts.createCrona >= 1);
  const controller = new AbortController();
  first.apply(plan.hash);
  await assert.rejects(
    drive(first, transports(box), { concurrency: 1, signal: controller.signal, onProgress: (p) => p.done >= 1 && controller.abort() }),
    { code: 'aborted' },
  );
  // A new session, as after a crash: the people created so far are now in both systems.
  const second = await previewed(box);
  second.apply(second.plan({ createInCrona: 'all', useSuggestions: false }).hash);
  await drive(second, transports(box));
  const { writes } = await box.inspect();
  const created = writes.filter((/** @type {any} */ w) => w.method === 'POST' && w.path === '/api/v1/employees' && w.status === 201).map((/** @type {any} */ w) => w.body.AnstNr);
  assert.equal(new Set(created).size, created.length, `created twice: ${created}`);
  const planned = plan.operations.filter((o) => o.kind === 'createCrona').map((o) => o.person.anstNr);
  assert.deepEqual([...created].sort(), planned.sort(), 'exactly the planned people, each once');
});

test('only an approved plan runs: an unknown hash and an unapproved mass change are refused', async () => {
  const box = await sandbox({ people: 40 });
  const session = await previewed(box);
  assert.throws(() => session.apply('0123456789abcdef'), (e) => e instanceof CronaSyncError && e.code === 'stale_plan');
  const plan = session.plan(decide(session.preview()));
  assert.ok(plan.needsMassChangeApproval);
  assert.throws(() => session.apply(plan.hash), { code: 'mass_change_refused' });
  assert.equal(session.phase, 'preview', 'nothing started');
  assert.throws(() => session.report(), { code: 'protocol_error' });
});
