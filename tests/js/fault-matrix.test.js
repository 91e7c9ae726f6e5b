// Never a write on a partial register (DOMAIN.md §3.5), over HTTP against the sandbox: every way
// a listing page can go wrong, on either system, on the first or a middle page, in a sync and in
// a push, ends the CLI with exit 3 and the sandbox received no write at all.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli, workdir } from './support/cli.js';
import { sandbox } from './support/sandbox.js';

// 120 people: Huma lists them in three pages of 50; Crona is made to serve pages of 50 too.
const box = await sandbox({ people: 120 });
const env = jobEnv(box);
const CRONA_PAGES = { system: 'crona', kind: 'listing', mutate: 'cap', cap: 50 };
const PAGE = {
  huma: { first: { offset: '0' }, middle: { offset: '50' } },
  crona: { first: { page: '1' }, middle: { page: '2' } },
};
const LISTING = { huma: '^/users$', crona: '^/api/v1/employees$' };

/** @typedef {{ name: string, rule: (system: 'huma' | 'crona', where: 'first' | 'middle') => object }} Fault */
/** @type {Fault[]} */
const FAULTS = [
  ...['short', 'empty', 'total', 'duplicate'].map((mutate) => ({ name: mutate, rule: (/** @type {'huma' | 'crona'} */ s, /** @type {'first' | 'middle'} */ w) => ({ system: s, kind: 'listing', mutate, query: PAGE[s][w] }) })),
];
/** Faults of the answer itself, on a middle page (the transport retries 503 and drops, then gives up). */
const STATUS_FAULTS = [
  { name: '500', rule: (/** @type {'huma' | 'crona'} */ s) => ({ system: s, path: LISTING[s], kind: 'status', status: 500, query: PAGE[s].middle }) },
  { name: '503', rule: (/** @type {'huma' | 'crona'} */ s) => ({ system: s, path: LISTING[s], kind: 'status', status: 503, query: PAGE[s].middle }) },
  { name: 'drop', rule: (/** @type {'huma' | 'crona'} */ s) => ({ system: s, path: LISTING[s], kind: 'drop', query: PAGE[s].middle }) },
  // A page size that changes on a middle page can't be followed.
  { name: 'cap on a middle page', rule: (/** @type {'huma' | 'crona'} */ s) => ({ system: s, kind: 'listing', mutate: 'cap', cap: 20, query: PAGE[s].middle }) },
];

/** A folder with an active connection (for push), and the sandbox's request counter after it. */
async function activated() {
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const r = await runCli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { env, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/**
 * Runs `args` with `rules` in force: the exit code, the error text, and the writes received.
 * @param {string[]} args @param {object[]} rules @param {string} dir
 */
async function withFaults(args, rules, dir) {
  const { seq } = await box.inspect();
  await box.faults(rules);
  try {
    const r = await runCli(args, { env, cwd: dir });
    const { writes, requests } = await box.inspect(seq);
    const hits = requests.filter((/** @type {any} */ q) => q.fault).length;
    return { code: r.code, stderr: r.stderr, writes: writes.length, hits };
  } finally {
    await box.clearFaults();
  }
}

test('a sync on any spoilt listing page exits 3 and writes nothing', async () => {
  await box.control('reset', { seed: 1, people: 120 });
  const dir = workdir();
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
  const sync = ['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'];
  for (const system of /** @type {const} */ (['huma', 'crona'])) {
    const cases = [
      ...FAULTS.flatMap((f) => (/** @type {const} */ (['first', 'middle'])).map((where) => ({ name: `${f.name} ${where}`, rules: [CRONA_PAGES, f.rule(system, where)] }))),
      ...STATUS_FAULTS.map((f) => ({ name: f.name, rules: [CRONA_PAGES, f.rule(system)] })),
    ];
    for (const c of cases) {
      const r = await withFaults(sync, c.rules, dir);
      assert.deepEqual([r.code, r.writes], [3, 0], `${system} ${c.name}: ${r.stderr}`);
      assert.ok(r.hits > 0, `${system} ${c.name}: the fault fired`);
      assert.match(r.stderr, system === 'huma' ? /Huma GET \/users/ : /Crona GET \/api\/v1\/employees/, `${system} ${c.name}`);
    }
  }
  // The same register without faults: the sync runs.
  const clean = await runCli(sync, { env, cwd: dir });
  assert.equal(clean.code, 0, clean.stderr);
});

test('the message names the system, the page and what did not add up', async () => {
  await box.control('reset', { seed: 1, people: 120 });
  const dir = workdir();
  const r = await withFaults(['preview'], [CRONA_PAGES, { system: 'crona', kind: 'listing', mutate: 'empty', query: { page: '2' } }], dir);
  assert.equal(r.code, 3);
  const total = (await box.inspect()).crona.employees.length;
  assert.equal(r.stderr, `crona-sync preview: Crona GET /api/v1/employees (page 2) is incomplete: the page held 0 of the 50 records due (50 of ${total} read before it). Nothing is written on a partial register.\n`);
});

test('a page size both servers cap on every page is followed: everyone is read', async () => {
  await box.control('reset', { seed: 1, people: 120 });
  const dir = workdir();
  const { seq } = await box.inspect();
  await box.faults([CRONA_PAGES, { system: 'huma', kind: 'listing', mutate: 'cap', cap: 20 }]);
  try {
    const r = await runCli(['preview', '--json'], { env, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const { huma, crona } = await box.inspect();
    const p = JSON.parse(r.stdout);
    assert.deepEqual([p.counts.huma, p.counts.crona], [huma.users.length, crona.employees.length]);
    const pages = (await box.inspect(seq)).requests.filter((/** @type {any} */ q) => q.path === '/users').map((/** @type {any} */ q) => q.query.offset);
    assert.deepEqual(pages, ['0', '20', '40', '60', '80', '100', '120'].slice(0, Math.ceil(huma.users.length / 20)));
  } finally {
    await box.clearFaults();
  }
});

test('a push on a spoilt Crona listing exits 3, writes nothing and leaves the state alone', async () => {
  await box.control('reset', { seed: 1, people: 120 });
  const dir = await activated();
  const { huma } = await box.inspect();
  const person = huma.users.find((/** @type {any} */ u) => u.active && u.employmentId);
  await box.control(`huma/users/${person.id}/edit`, { phone: '070-123 98 76' });
  const state = readFileSync(join(dir, 'crona-sync.state.json'), 'utf8');
  const push = ['push', '--user', person.id];
  const cases = [
    ...FAULTS.flatMap((f) => (/** @type {const} */ (['first', 'middle'])).map((where) => ({ name: `${f.name} ${where}`, rules: [CRONA_PAGES, f.rule('crona', where)] }))),
    ...STATUS_FAULTS.map((f) => ({ name: f.name, rules: [CRONA_PAGES, f.rule('crona')] })),
    { name: 'the person 503', rules: [{ system: 'huma', path: `^/users/${person.id}$`, kind: 'status', status: 503 }] },
  ];
  for (const c of cases) {
    const r = await withFaults(push, c.rules, dir);
    assert.deepEqual([r.code, r.writes], [3, 0], `${c.name}: ${r.stderr}`);
    assert.equal(readFileSync(join(dir, 'crona-sync.state.json'), 'utf8'), state, `${c.name}: the state is untouched`);
  }
  const clean = await runCli(push, { env, cwd: dir });
  assert.equal(clean.code, 0, clean.stderr);
  assert.deepEqual((await box.inspect()).crona.employees.find((/** @type {any} */ e) => e.AnstNr === person.employmentId).Mobil, '070-123 98 76');
});
