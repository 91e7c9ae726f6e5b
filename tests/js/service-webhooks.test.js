// Huma's webhooks into the integration service: each connection's own receiver and sealed
// secret, deliveries verified and queued before the 202, a burst pushed as one write under the
// connection's lease and recorded as a run, a SIGKILL after the 202 replayed exactly once, and a
// held burst approved by an administrator.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli, workdir } from './support/cli.js';
import { sandbox } from './support/sandbox.js';
import { deliver } from './support/serve.js';
import { startServiceProcess } from './support/service-process.js';

const box = await sandbox({ people: 40 });
const env = jobEnv(box, { CRONA_SYNC_PASSWORD: 'a long enough password' });

/** A data directory with an active connection (the first sync ran) and an administrator. */
async function activated() {
  await box.control('reset', { seed: 1, people: 40 });
  const cwd = workdir();
  writeFileSync(join(cwd, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  for (const args of [['connect', '--data', 'data', '--name', 'Bygg'], ['sync', '--data', 'data', '--policy', 'policy.json', '--yes', '--allow-mass-change'], ['admin', 'add', 'anna', '--data', 'data']]) {
    const r = await runCli(args, { env, cwd });
    assert.equal(r.code, 0, r.stderr);
  }
  return cwd;
}

/**
 * People in both systems: first those whom no planted case concerns, then (for a burst) anyone
 * paired by work e-mail and employment ID.
 * @param {number} n
 */
async function plainPeople(n) {
  const { huma, crona, planted } = await box.inspect();
  const odd = new Set(planted.flatMap((/** @type {any} */ p) => [p.humaId, p.anstNr]));
  const paired = huma.users.filter((/** @type {any} */ u) => u.active && crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  const plain = paired.filter((/** @type {any} */ u) => !odd.has(u.id) && !odd.has(u.employmentId));
  return [...plain, ...paired.filter((/** @type {any} */ u) => !plain.includes(u))].slice(0, n);
}

/** The writes after `since`. @param {number} since */
async function writesSince(since) {
  return (await box.inspect(since)).writes.map((/** @type {any} */ w) => ({ method: w.method, path: w.path, body: w.body }));
}

/** Waits (generously) until `check` holds. @param {() => Promise<boolean>} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 60 s for ${what}`);
}

test('two HR edits reach Crona through the connection\'s receiver as one write, recorded as a webhook run', async () => {
  const cwd = await activated();
  const [person] = await plainPeople(1);
  const svc = await startServiceProcess(['--debounce', '300'], { env, cwd, admin: 'anna' });
  try {
    const hook = await svc.call('POST', '/api/connections/1/webhook');
    assert.equal(hook.status, 201);
    assert.equal(hook.json.url, `${svc.url}/webhooks/1`);
    assert.match(hook.json.secret, /^[A-Za-z0-9_-]{43}$/);
    // A forged or unsigned delivery is refused and nothing is queued.
    for (const d of [{ secret: 'not-the-secret' }, {}]) {
      const r = await deliver(hook.json.url, { ...d, users: [{ id: person.id }] });
      assert.equal(r.status, 401);
    }
    await box.control('webhooks', { url: hook.json.url, secret: hook.json.secret });
    const { seq } = await box.inspect();
    await box.control(`huma/users/${person.id}/edit`, { phone: '070-555 98 76' });
    await box.control(`huma/users/${person.id}/edit`, { privateEmail: 'ny.adress@example.com' });
    await box.webhooksIdle();
    await until(async () => (await writesSince(seq)).length > 0 && (await svc.call('GET', '/api/connections/1')).json.connection.webhooks.queued === 0, 'the push');
    assert.deepEqual(await writesSince(seq), [
      { method: 'PATCH', path: `/api/v1/employees/${person.employmentId}`, body: { Mobil: '070-555 98 76', EpostPriv: 'ny.adress@example.com' } },
    ]);
    const c = (await svc.call('GET', '/api/connections/1')).json.connection;
    assert.deepEqual(c.runs.filter((/** @type {any} */ r) => r.kind === 'webhook').map((/** @type {any} */ r) => [r.startedBy, r.outcome]), [['webhooks', 'done']], 'one push for the burst');
    // The same delivery again (Huma retries, or a replay): pushed again, and nothing to write.
    const again = await deliver(hook.json.url, { secret: hook.json.secret, users: [{ id: person.id }] });
    assert.equal(again.status, 202);
    await until(async () => (await svc.call('GET', '/api/connections/1')).json.connection.runs.filter((/** @type {any} */ r) => r.kind === 'webhook' && r.finishedAt).length === 2, 'the second push');
    assert.equal((await writesSince(seq)).length, 1, 'a repeated delivery writes nothing new');
    assert.deepEqual([c.webhooks.configured, c.webhooks.queued, c.webhooks.held, typeof c.webhooks.lastReceivedAt], [true, 0, 0, 'string']);
    assert.ok(!svc.log().includes(hook.json.secret), 'the secret is never logged');
  } finally {
    await box.control('webhooks', undefined, 'DELETE');
    svc.child.kill('SIGTERM');
    await svc.exited;
  }
});

test('a burst acknowledged before a SIGKILL is pushed once after the restart, every event, and never again', async () => {
  const cwd = await activated();
  const burst = await plainPeople(3);
  const first = await startServiceProcess(['--debounce', '600000'], { env, cwd, admin: 'anna' });
  const hook = (await first.call('POST', '/api/connections/1/webhook')).json;
  await box.control('webhooks', { url: hook.url, secret: hook.secret });
  const { seq } = await box.inspect();
  for (const [i, p] of burst.entries()) await box.control(`huma/users/${p.id}/edit`, { phone: `070-555 44 3${i}` });
  await box.webhooksIdle();
  assert.deepEqual((await box.inspect(seq)).webhooks.map((/** @type {any} */ d) => d.status), [202, 202, 202]);
  first.child.kill('SIGKILL');
  await first.exited;
  assert.deepEqual(await writesSince(seq), [], 'nothing pushed before the crash');
  await box.control('webhooks', undefined, 'DELETE');

  const second = await startServiceProcess(['--debounce', '50'], { env, cwd, admin: 'anna' });
  await until(async () => (await writesSince(seq)).length > 0 && (await second.call('GET', '/api/connections/1')).json.connection.webhooks.queued === 0, 'the replayed push');
  assert.match(second.log(), /replaying 3 queued webhook event\(s\)/);
  second.child.kill('SIGTERM');
  await second.exited;
  const writes = await writesSince(seq);
  const sorted = (/** @type {any[]} */ list) => [...list].sort((a, b) => a.path.localeCompare(b.path));
  assert.deepEqual(sorted(writes), sorted(burst.map((/** @type {any} */ p, i) => ({ method: 'PATCH', path: `/api/v1/employees/${p.employmentId}`, body: { Mobil: `070-555 44 3${i}` } }))));

  const third = await startServiceProcess(['--debounce', '50'], { env, cwd, admin: 'anna' });
  assert.doesNotMatch(third.log(), /replaying/);
  third.child.kill('SIGTERM');
  await third.exited;
  assert.deepEqual(await writesSince(seq), writes);
});

test('a burst that would be a mass change is held, shown, and pushed when an administrator approves it', async () => {
  const cwd = await activated();
  // 10 of 40 people at once: at least 10, and more than 20 % of the register.
  const people = await plainPeople(10);
  assert.equal(people.length, 10);
  const svc = await startServiceProcess(['--debounce', '4000'], { env, cwd, admin: 'anna' });
  try {
    const hook = (await svc.call('POST', '/api/connections/1/webhook')).json;
    await box.control('webhooks', { url: hook.url, secret: hook.secret });
    const { seq } = await box.inspect();
    for (const [i, p] of people.entries()) await box.control(`huma/users/${p.id}/edit`, { phone: `070-818 18 ${10 + i}` });
    await box.webhooksIdle();
    await until(async () => (await svc.call('GET', '/api/connections/1')).json.connection.webhooks.held === 10, 'the held burst');
    assert.deepEqual(await writesSince(seq), [], 'nothing written without approval');
    const held = (await svc.call('GET', '/api/connections/1/held')).json.events;
    assert.deepEqual([...new Set(held.map((/** @type {any} */ e) => e.heldCode))], ['mass_change_refused']);
    assert.deepEqual(held.flatMap((/** @type {any} */ e) => e.ids).sort(), people.map((/** @type {any} */ p) => p.id).sort());
    const health = await (await fetch(`${svc.url}/healthz`)).json();
    assert.equal(health.status, 'needs_attention');
    assert.match(health.connections[0].reasons[0], /^the last run \(webhook, [0-9T:.Z-]+\) ended refused$/);
    assert.equal(health.connections[0].reasons[1], '10 webhook event(s) held for an administrator');
    // Before approving, what it would write: each person's phone, in words, and nothing written yet.
    const preview = (await svc.call('GET', '/api/connections/1/held/preview')).json;
    assert.deepEqual([preview.people, preview.needsMassChangeApproval], [10, true]);
    assert.deepEqual(preview.operations.map((/** @type {any} */ o) => [o.kind, o.anstNr, o.fields]).sort(), people.map((/** @type {any} */ p) => ['updateCrona', p.employmentId, ['phone']]).sort());
    assert.deepEqual(await writesSince(seq), []);
    const approved = await svc.call('POST', '/api/connections/1/held/approve');
    assert.deepEqual([approved.status, approved.json.approved, approved.json.stillHeld], [200, 10, 0]);
    const writes = await writesSince(seq);
    assert.deepEqual(writes.map((/** @type {any} */ w) => w.path).sort(), people.map((/** @type {any} */ p) => `/api/v1/employees/${p.employmentId}`).sort());
    assert.deepEqual(writes.map((/** @type {any} */ w) => Object.keys(w.body)), people.map(() => ['Mobil']));
    const c = (await svc.call('GET', '/api/connections/1')).json.connection;
    assert.equal(c.webhooks.held, 0);
    assert.equal((await (await fetch(`${svc.url}/healthz`)).json()).status, 'ok');
    assert.deepEqual([c.runs[0].kind, c.runs[0].startedBy, c.runs[0].outcome], ['push', 'anna', 'done']);
  } finally {
    await box.control('webhooks', undefined, 'DELETE');
    svc.child.kill('SIGTERM');
    await svc.exited;
  }
});

test('a sync covers what was held before it started', async () => {
  const cwd = await activated();
  const people = await plainPeople(10);
  const svc = await startServiceProcess(['--debounce', '4000'], { env, cwd, admin: 'anna' });
  try {
    const hook = (await svc.call('POST', '/api/connections/1/webhook')).json;
    await box.control('webhooks', { url: hook.url, secret: hook.secret });
    for (const [i, p] of people.entries()) await box.control(`huma/users/${p.id}/edit`, { phone: `070-828 28 ${10 + i}` });
    await box.webhooksIdle();
    await until(async () => (await svc.call('GET', '/api/connections/1')).json.connection.webhooks.held === 10, 'the held burst');
    await box.control('webhooks', undefined, 'DELETE');
    const { seq } = await box.inspect();
    const sync = await runCli(['sync', '--data', 'data', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env, cwd });
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stderr, /10 held webhook push\(es\) are covered by this sync and no longer wait\./);
    assert.equal((await svc.call('GET', '/api/connections/1')).json.connection.webhooks.held, 0);
    assert.deepEqual((await writesSince(seq)).map((/** @type {any} */ w) => w.path).sort(), people.map((/** @type {any} */ p) => `/api/v1/employees/${p.employmentId}`).sort());
  } finally {
    svc.child.kill('SIGTERM');
    await svc.exited;
  }
});
