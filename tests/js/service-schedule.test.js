// The service's daily run on an injected clock: at 00:05 in Sweden every active connection
// pushes its paired people by the push rules, so a contract that ended yesterday turns Slutat
// on in Crona, and nothing else is written; with the drift check on, a preview then records
// what waits for a manual sync. A day passes in milliseconds.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli } from './support/cli.js';
import { service } from './support/service.js';

let clock = new Date('2026-11-25T22:00:00.000Z'); // 23:00 in Stockholm, the sandbox's "today"
const s = await service({ sandbox: { people: 40 }, service: { now: () => clock, scheduleCheckMs: 20 } });
const cookie = await s.signIn();

/** Waits (generously) until `check` holds. @param {() => Promise<boolean> | boolean} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 60 s for ${what}`);
}

test('the day after a contract ends, the daily run sends Crona exactly Slutat: true; the drift check counts what waits', async () => {
  const ending = s.box.planted.find((/** @type {any} */ p) => p.kind === 'positionEndsToday');
  assert.ok(ending, 'the sample data has a contract ending today');
  // The first sync, on the sandbox's today: the contract hasn't ended yet.
  const cwd = join(s.dir, '..');
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const first = await runCli(['sync', '--data', s.dir, '--policy', 'policy.json', '--yes', '--allow-mass-change', '--today', '2026-11-25'], { env: jobEnv(s.box), cwd });
  assert.equal(first.code, 0, first.stderr);
  const crona = (await s.box.inspect()).crona.employees.find((/** @type {any} */ e) => e.AnstNr === ending.anstNr);
  assert.deepEqual([crona.AvgDatum, crona.Slutat], ['2026-11-25', false]);
  const c = /** @type {import('../../pkg/lib/service/store.js').StoredConnection} */ (s.store.connection(s.id));
  s.store.updateSettings(s.id, { ...c.settings, driftCheck: true });

  const view = async () => (await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie })).json.connection;
  await until(async () => (await view()).schedule.nextRunAt === '2026-11-25T23:05:00.000Z', 'the next run at 00:05 in Sweden');
  const { seq } = await s.box.inspect();
  clock = new Date('2026-11-25T23:06:00.000Z'); // 00:06 on the 26th in Stockholm
  await until(async () => (await view()).runs.some((/** @type {any} */ r) => r.kind === 'drift' && r.finishedAt), 'the daily run and the drift check');
  const writes = (await s.box.inspect(seq)).writes.map((/** @type {any} */ w) => ({ method: w.method, path: w.path, body: w.body }));
  assert.deepEqual(writes, [{ method: 'PATCH', path: `/api/v1/employees/${ending.anstNr}`, body: { Slutat: true } }]);
  const after = await view();
  assert.deepEqual(after.runs.slice(0, 2).map((/** @type {any} */ r) => [r.kind, r.startedBy, r.outcome]), [['drift', 'schedule', 'done'], ['scheduled', 'schedule', 'done']]);
  assert.match(after.schedule.lastDrift.summary, /^Drift check: \d+ differences, \d+ blockers and \d+ people on one side only wait for a manual sync\.$/);
  assert.equal(after.schedule.nextRunAt, '2026-11-26T23:05:00.000Z');
  assert.equal(after.lease, null);
  // The drift check wrote nothing and saved no state.
  assert.equal((await s.box.inspect(seq)).writes.length, 1);
});
