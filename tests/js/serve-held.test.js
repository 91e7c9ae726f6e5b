// An acknowledged webhook event is pushed or held for an administrator, never dropped
// (DOMAIN.md §3.5): a 100-person burst meets the mass-change guard at its default, and every
// event is either in Crona or held and visible until `push --approve-held` or a sync.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli, workdir } from './support/cli.js';
import { sandbox } from './support/sandbox.js';
import { deliver, startServe } from './support/serve.js';

const PEOPLE = 150;
const box = await sandbox({ people: PEOPLE });
const SECRET = 'whsec-held-7a1e';
const env = jobEnv(box, { HUMA_WEBHOOK_SECRET: SECRET });

/** A folder with an active connection. */
async function activated() {
  await box.control('reset', { seed: 1, people: PEOPLE });
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const r = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** People in both systems whom no planted case concerns. @param {number} n @returns {Promise<any[]>} */
async function plainPeople(n) {
  const { huma, crona, planted } = await box.inspect();
  const odd = new Set(planted.flatMap((/** @type {any} */ p) => [p.humaId, p.anstNr]));
  const people = huma.users.filter((/** @type {any} */ u) => u.active && !odd.has(u.id) && !odd.has(u.employmentId) && crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  assert.ok(people.length >= n, `the sample has ${people.length} plain people`);
  return people.slice(0, n);
}

/** Polls `check` (a state, never a time) until it holds; fails after a generous limit. @param {() => Promise<boolean>} check @param {string} what */
async function waitUntil(check, what) {
  const limit = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** @param {string} url */
const health = async (url) => (await fetch(`${url}/health`)).json();

/** The phone each AnstNr has in Crona now. */
async function cronaPhones() {
  const { crona } = await box.inspect();
  return new Map(crona.employees.map((/** @type {any} */ e) => [e.AnstNr, e.Mobil]));
}

/** @param {string} dir */
const heldIds = (dir) => {
  const file = join(dir, 'crona-sync.held.jsonl');
  if (!existsSync(file)) return new Set();
  return new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => JSON.parse(l).ids));
};

test('a 100-person burst is pushed or held, never dropped; --approve-held pushes every held one', async () => {
  const dir = await activated();
  const people = await plainPeople(100);
  const serve = await startServe(['--debounce', '1500'], { env, cwd: dir });
  try {
    await box.control('webhooks', { url: serve.url, secret: SECRET });
    const phone = (/** @type {number} */ i) => `070-777 ${String(i).padStart(2, '0').slice(-2)} ${String(100 + i).slice(-2)}`;
    for (const [i, p] of people.entries()) await box.control(`huma/users/${p.id}/edit`, { phone: phone(i) });
    await box.webhooksIdle();
    const { webhooks } = await box.inspect();
    assert.equal(webhooks.filter((/** @type {any} */ d) => d.status === 202).length, 100, 'every delivery acknowledged');
    await waitUntil(async () => {
      const h = await health(serve.url);
      return h.queued === 0 && h.waitingPeople === 0;
    }, 'the queue to empty');

    // Every acknowledged event: in Crona, or held and visible.
    const phones = await cronaPhones();
    const held = heldIds(dir);
    const lost = people.filter((p, i) => phones.get(p.employmentId) !== phone(i) && !held.has(p.id));
    assert.deepEqual(lost.map((p) => p.id), [], 'no event was finished without being pushed or held');
    assert.ok(held.size > 0, 'a burst this size is a mass change: it waits for an administrator');
    const h = await health(serve.url);
    assert.deepEqual([h.status, h.heldPeople], ['needs_attention', held.size]);
    const log = readFileSync(join(dir, 'crona-sync.errors.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const note = log.find((e) => e.code === 'mass_change_refused');
    assert.match(note.message, /^Held for an administrator: this push of 100 people needs an administrator's approval as a mass change \(it changes 100 of \d+ people, more than 20 % of the register; it writes 100 fields, more than 50\)\. Approve with 'crona-sync push --approve-held', or run a sync\.$/);
    assert.ok(serve.lines.some((l) => l.event === 'held'));

    // The administrator approves: every held person reaches Crona, once.
    const { seq } = await box.inspect();
    const r = await runCli(['push', '--approve-held', '--json'], { env, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([JSON.parse(r.stdout).approved, JSON.parse(r.stdout).stillHeld], [held.size, 0]);
    const after = await cronaPhones();
    assert.deepEqual(people.filter((p, i) => after.get(p.employmentId) !== phone(i)).map((p) => p.id), [], 'all 100 in Crona');
    const writes = (await box.inspect(seq)).writes.filter((/** @type {any} */ w) => w.system === 'crona');
    assert.equal(writes.length, held.size, 'one write per held person');
    assert.equal(heldIds(dir).size, 0);
    assert.deepEqual([(await health(serve.url)).status, (await health(serve.url)).held], ['ok', 0]);
    const again = await runCli(['push', '--approve-held'], { env, cwd: dir });
    assert.deepEqual([again.code, again.stdout], [0, 'Nothing is held: every webhook event was pushed.\n']);
  } finally {
    await box.control('webhooks', undefined, 'DELETE');
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

test('a sync covers held events that arrived before it; a person Huma refuses is held, the rest pushed', async () => {
  const dir = await activated();
  const people = await plainPeople(40);
  const serve = await startServe(['--debounce', '300'], { env, cwd: dir });
  try {
    // 40 people changed in Huma, in one delivery: a mass change (≥ 10 and > 20 % of 150).
    for (const [i, p] of people.entries()) await box.control(`huma/users/${p.id}/edit`, { phone: `070-888 ${String(10 + i)} 00` });
    const d = await deliver(serve.url, { secret: SECRET, users: people.map((p) => ({ id: p.id, email: p.email })) });
    assert.equal(d.status, 202);
    await waitUntil(async () => (await health(serve.url)).held === 1, 'the burst to be held');
    assert.equal(heldIds(dir).size, 40);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: {} }));
    const r = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 held webhook push\(es\) are covered by this sync and no longer wait\.\n$/);
    assert.equal(heldIds(dir).size, 0);
    assert.equal((await health(serve.url)).status, 'ok');

    // One person Huma answers with an error that retrying won't cure: held alone; Bo is pushed.
    const [eva, bo] = people;
    await box.faults([{ system: 'huma', method: 'GET', path: `^/users/${eva.id}$`, kind: 'status', status: 400 }]);
    await box.control(`huma/users/${bo.id}/edit`, { phone: '070-333 22 11' });
    const both = await deliver(serve.url, { secret: SECRET, users: [eva, bo].map((p) => ({ id: p.id, email: p.email })) });
    assert.equal(both.status, 202);
    await waitUntil(async () => (await health(serve.url)).heldPeople === 1 && (await health(serve.url)).waitingPeople === 0, 'Eva to be held');
    assert.deepEqual([...heldIds(dir)], [eva.id]);
    assert.equal((await cronaPhones()).get(bo.employmentId), '070-333 22 11');
  } finally {
    await box.clearFaults();
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

test('a 503 on one person is retried until it passes, never dropped', async () => {
  const dir = await activated();
  const [eva] = await plainPeople(1);
  await box.control(`huma/users/${eva.id}/edit`, { phone: '070-444 55 66' });
  await box.faults([{ system: 'huma', method: 'GET', path: `^/users/${eva.id}$`, kind: 'status', status: 503, count: 8 }]);
  const serve = await startServe(['--debounce', '50'], { env, cwd: dir });
  try {
    const d = await deliver(serve.url, { secret: SECRET, users: [{ id: eva.id, email: eva.email }] });
    assert.equal(d.status, 202);
    await waitUntil(async () => (await cronaPhones()).get(eva.employmentId) === '070-444 55 66', 'the phone in Crona');
    assert.ok(serve.lines.some((l) => l.event === 'retrying' && l.code === 'fetch_unavailable'));
    assert.equal(heldIds(dir).size, 0);
  } finally {
    await box.clearFaults();
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

test('a write Crona refuses for good is held, not finished; approving retries it and keeps it held while it fails', async () => {
  const dir = await activated();
  const [eva, bo] = await plainPeople(2);
  await box.control(`huma/users/${eva.id}/edit`, { phone: '070-121 21 21' });
  await box.control(`huma/users/${bo.id}/edit`, { phone: '070-131 31 31' });
  const refuse = { system: 'crona', method: 'PATCH', path: `^/api/v1/employees/${eva.employmentId}$`, kind: 'status', status: 422 };
  await box.faults([refuse]);
  const serve = await startServe(['--debounce', '50'], { env, cwd: dir });
  try {
    const d = await deliver(serve.url, { secret: SECRET, users: [eva, bo].map((p) => ({ id: p.id, email: p.email })) });
    assert.equal(d.status, 202);
    await waitUntil(async () => (await health(serve.url)).heldPeople === 1 && (await health(serve.url)).queued === 0, 'Eva to be held');
    assert.deepEqual([...heldIds(dir)], [eva.id]);
    assert.equal((await cronaPhones()).get(bo.employmentId), '070-131 31 31', 'Bo went through');
    assert.equal((await health(serve.url)).status, 'needs_attention');

    // Approved while Crona still refuses: she stays held, exit 1.
    const still = await runCli(['push', '--approve-held', '--json'], { env, cwd: dir });
    assert.equal(still.code, 1, still.stderr);
    assert.deepEqual([JSON.parse(still.stdout).approved, JSON.parse(still.stdout).stillHeld], [0, 1]);
    assert.deepEqual([...heldIds(dir)], [eva.id]);

    await box.clearFaults();
    const ok = await runCli(['push', '--approve-held', '--json'], { env, cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await cronaPhones()).get(eva.employmentId), '070-121 21 21');
    assert.equal(heldIds(dir).size, 0);
  } finally {
    await box.clearFaults();
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});
