// The crona-sync command as an administrator or a scheduled job runs it, against the sandbox.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sandbox } from './support/sandbox.js';
import { CLI, jobEnv, runCli, workdir } from './support/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
const box = await sandbox({ people: 40 });

/** @param {Record<string, string>} [extra] */
const env = (extra = {}) => jobEnv(box, extra);

/**
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, cwd?: string, onSpawn?: (p: import('node:child_process').ChildProcess) => void }} [o]
 */
const cli = (args, o = {}) => runCli(args, { ...o, env: o.env ?? env() });

/** @param {string} dir @param {object} policy */
function writePolicy(dir, policy = { fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }) {
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(policy));
}

async function reset() {
  await box.control('reset', { seed: 1, people: 40 });
}

test('--version and --help, per command, with every exit code documented', async () => {
  const v = await cli(['--version']);
  assert.deepEqual([v.code, v.stdout], [0, `crona-sync ${pkg.version} (core ${pkg.version})\n`]);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  for (const word of ['connect', 'preview', 'sync']) assert.ok(help.stdout.includes(word), word);
  for (const code of ['0', '1', '2', '3', '4']) assert.match(help.stdout, new RegExp(`^  ${code}  \\S`, 'm'));
  for (const command of ['connect', 'preview', 'sync']) {
    const h = await cli([command, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^crona-sync ${command} — `));
    assert.match(h.stdout, /HUMA_CLIENT_SECRET/);
  }
});

test('usage errors exit 2 on stderr', async () => {
  assert.equal((await cli([])).code, 2);
  const unknown = await cli(['frobnicate']);
  assert.deepEqual([unknown.code, unknown.stdout], [2, '']);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  assert.equal((await cli(['preview', '--no-such-flag'])).code, 2);
  const bare = await cli(['preview'], { env: { PATH: process.env.PATH ?? '' } });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Missing the Huma base URL .* HUMA_CLIENT_SECRET/);
});

test('connect verifies both systems and writes a connection file without secrets', async () => {
  const dir = workdir();
  const r = await cli(['connect', '--name', 'Exempel Bygg', '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.connection.crona.companyName.length > 0, true);
  const file = readFileSync(join(dir, 'crona-sync.json'), 'utf8');
  assert.deepEqual(JSON.parse(file).huma, { baseUrl: box.humaUrl, clientId: box.credentials.huma.clientId });
  assert.ok(!file.includes(box.credentials.huma.clientSecret) && !file.includes(box.credentials.crona.activationCode));
  // Every command then runs with base URLs from the file and secrets from a secrets file.
  writeFileSync(join(dir, 'secrets.env'), `# keep me chmod 600\nHUMA_CLIENT_SECRET=${box.credentials.huma.clientSecret}\nCRONA_ACTIVATION_CODE="${box.credentials.crona.activationCode}"\n`);
  const p = await cli(['preview', '--json', '--secrets', 'secrets.env'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
  assert.equal(p.code, 0, p.stderr);
  assert.ok(JSON.parse(p.stdout).counts.matched > 0);
});

test('a wrong secret exits 3 and the secret is never printed', async () => {
  const secret = '11111111-2222-3333-4444-555555555555';
  const r = await cli(['preview'], { env: env({ HUMA_CLIENT_SECRET: secret }) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /Huma did not accept the API client ID and secret/);
  assert.ok(!(r.stdout + r.stderr).includes(secret));
});

test('preview --json has the documented shape; the text form groups values by person', async () => {
  await reset();
  const json = await cli(['preview', '--json']);
  const p = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(p).sort(), ['blockers', 'counts', 'differences', 'notices', 'onlyInCrona', 'onlyInHuma', 'willSet']);
  assert.deepEqual(Object.keys(p.counts).sort(), ['blockers', 'crona', 'differences', 'huma', 'matched', 'onlyInCrona', 'onlyInHuma']);
  for (const d of p.differences) assert.ok(d.id && d.person.name && d.field && d.kind && Array.isArray(d.allowed) && d.message, JSON.stringify(d));
  const text = await cli(['preview'], { env: env({ NO_COLOR: '1' }) });
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^\d+ in Huma, \d+ in Crona: \d+ matched, \d+ differences/);
  assert.ok(!text.stdout.includes('\x1b['), 'no colour when not a terminal');
  assert.match(text.stdout, /Blockers/);
});

test('a first sync from a policy file, then a second run with nothing left to decide', async () => {
  await reset();
  const dir = workdir();
  writePolicy(dir);
  const first = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change', '--report', 'report.json'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /The plan\n(Update|Create) .*\n/);
  assert.match(first.stdout, /Result\nSynchronisation of \d{4}-\d\d-\d\d: \d+ people created, \d+ records updated\./);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  assert.equal(report.errors.length, 0);
  assert.ok(readFileSync(join(dir, 'report.json.txt'), 'utf8').startsWith('Result\n'));
  const state = JSON.parse(readFileSync(join(dir, 'crona-sync.state.json'), 'utf8'));
  assert.ok(state.activatedAt && state.pairs.length > 30);

  const second = await cli(['sync', '--policy', 'policy.json', '--yes', '--json'], { cwd: dir });
  assert.equal(second.code, 0, second.stderr);
  const r2 = JSON.parse(second.stdout);
  assert.deepEqual(r2.outcomes, [], 'nothing left to write');
  assert.deepEqual(r2.remaining.map((/** @type {any} */ r) => r.difference.id).sort(), report.remaining.map((/** @type {any} */ r) => r.difference.id).sort());
});

test('a mass change is refused without --allow-mass-change (exit 4), and nothing is written', async () => {
  await reset();
  const dir = workdir();
  writePolicy(dir);
  const { writes: before } = await box.inspect();
  const r = await cli(['sync', '--policy', 'policy.json', '--yes'], { cwd: dir });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /--allow-mass-change/);
  assert.deepEqual((await box.inspect()).writes.length, before.length);
  assert.ok(!existsSync(join(dir, 'crona-sync.state.json')));
});

test('without a terminal, a sync needs a policy (exit 2) and --yes (exit 4, not confirmed)', async () => {
  const dir = workdir();
  assert.match((await cli(['sync'], { cwd: dir })).stderr, /pass --policy FILE/);
  await reset();
  writePolicy(dir, { fields: { phone: 'huma' } });
  const r = await cli(['sync', '--policy', 'policy.json'], { cwd: dir });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /not confirmed/);
});

test('failed writes exit 1, the report lists them, and the error log gets them', async () => {
  await reset();
  const dir = workdir();
  writePolicy(dir);
  await box.faults([{ system: 'crona', method: 'PATCH', kind: 'status', status: 500, count: 2 }]);
  const r = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change', '--report', 'report.json'], { cwd: dir });
  await box.clearFaults();
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  assert.equal(report.errors.length, 2);
  assert.ok(report.errors.every((/** @type {any} */ e) => e.status === 500 && e.system === 'crona'));
  const log = readFileSync(join(dir, 'crona-sync.errors.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(log.map((e) => e.person.anstNr).sort(), report.errors.map((/** @type {any} */ e) => e.person.anstNr).sort());
  assert.match(r.stdout, /2 writes failed: /);
});

test('a second run on the same connection while one is running is refused (exit 4)', async () => {
  const dir = workdir();
  writePolicy(dir);
  writeFileSync(join(dir, 'crona-sync.state.json.lock'), String(process.pid));
  const r = await cli(['sync', '--policy', 'policy.json', '--yes'], { cwd: dir });
  assert.equal(r.code, 4);
  assert.match(r.stderr, new RegExp(`Another crona-sync run \\(process ${process.pid}\\)`));
});

/** How many writes a whole first sync with the default policy makes (the sandbox is reset after). */
async function writesOfAFirstSync() {
  await reset();
  const dir = workdir();
  writePolicy(dir);
  const { seq } = await box.inspect();
  assert.equal((await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir })).code, 0);
  return (await box.inspect(seq)).writes.length;
}

for (const [when, share] of /** @type {const} */ ([['the first write', 0], ['half the writes', 0.5], ['the last write, while it verifies', 1]])) {
  test(`a run killed after ${when}, run again, creates nobody twice; the third run shows only what was left by choice`, async () => {
    const killAt = Math.max(1, Math.round(share * (await writesOfAFirstSync())));
    await reset();
    const dir = workdir();
    writePolicy(dir);
    // Slow writes, and a slow read-back, so the kill lands where it is meant to.
    await box.faults([
      { system: 'any', method: 'POST', kind: 'latency', latencyMs: 150 },
      { system: 'any', method: 'PATCH', kind: 'latency', latencyMs: 150 },
      { system: 'crona', method: 'GET', path: '^/api/v1/employees/.+', kind: 'latency', latencyMs: 500 },
    ]);
    const { writes } = await box.inspect();
    const since = writes.length ? writes[writes.length - 1].seq : 0;
    const killed = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], {
      cwd: dir,
      onSpawn: (p) => {
        const timer = setInterval(async () => {
          const w = await box.inspect(since);
          if (w.writes.filter((/** @type {any} */ x) => x.status === 201 || x.status === 200).length >= killAt) {
            clearInterval(timer);
            p.kill('SIGKILL');
          }
        }, 10);
        p.on('close', () => clearInterval(timer));
      },
    });
    await box.clearFaults();
    assert.equal(killed.code, null, 'killed');
    const again = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    const after = await box.inspect(since);
    const created = after.writes.filter((/** @type {any} */ w) => w.method === 'POST' && w.path === '/api/v1/employees' && w.status === 201).map((/** @type {any} */ w) => w.body.AnstNr);
    assert.equal(new Set(created).size, created.length, `created twice: ${created}`);
    const createdHuma = after.writes.filter((/** @type {any} */ w) => w.method === 'POST' && w.path === '/users' && w.status === 200).map((/** @type {any} */ w) => w.body.email);
    assert.equal(new Set(createdHuma).size, createdHuma.length, `created twice in Huma: ${createdHuma}`);
    JSON.parse(readFileSync(join(dir, 'crona-sync.state.json'), 'utf8'));
    assert.ok(!existsSync(join(dir, 'crona-sync.state.json.lock')), 'the lock is released');
    // Everything creatable was created; what differs is what the policy left.
    const third = await cli(['preview', '--json'], { cwd: dir });
    assert.equal(third.code, 0, third.stderr);
    const p = JSON.parse(third.stdout);
    assert.deepEqual([...p.onlyInHuma, ...p.onlyInCrona].filter((/** @type {any} */ o) => o.creatable).map((/** @type {any} */ o) => o.person.name), [], 'everyone creatable was created');
    // The same policy again writes nothing: what differs is what the policy or a rule leaves.
    const { seq } = await box.inspect();
    const once = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change', '--json'], { cwd: dir });
    assert.equal(once.code, 0, once.stderr);
    assert.deepEqual((await box.inspect(seq)).writes, []);
    const why = new Set(JSON.parse(once.stdout).remaining.map((/** @type {any} */ r) => r.reason));
    assert.deepEqual([...why].filter((r) => !['leftByChoice', 'blocked', 'would_clear', 'not_allowed'].includes(r)), []);
  });
}

test("a state file of another connection is refused before anything is fetched or written (exit 2)", async () => {
  await reset();
  const dir = workdir();
  writePolicy(dir);
  assert.equal((await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir })).code, 0);
  const other = await sandbox({ people: 40, seed: 9 });
  const otherEnv = env({
    HUMA_URL: other.humaUrl, CRONA_URL: other.cronaUrl,
    HUMA_CLIENT_ID: other.credentials.huma.clientId, HUMA_CLIENT_SECRET: other.credentials.huma.clientSecret,
    CRONA_ACTIVATION_CODE: other.credentials.crona.activationCode,
  });
  const r = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir, env: otherEnv });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /The state file belongs to another connection/);
  assert.deepEqual((await other.inspect()).writes, [], 'nothing written to the other systems');
});

test('a --report folder that does not exist is refused before anything is written', async () => {
  const dir = workdir();
  writePolicy(dir);
  const before = (await box.inspect()).writes.length;
  const r = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change', '--report', 'no/such/folder/r.json'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal((await box.inspect()).writes.length, before);
});

test('--json errors are one JSON document on stdout, even for usage errors', async () => {
  for (const args of [['preview', '--json', '--no-such-flag'], ['preview', '--json']]) {
    const r = await cli(args, { env: { PATH: process.env.PATH ?? '' } });
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'usage', args.join(' '));
  }
});

test('a secrets file named on the command line wins over the environment, export lines and all', async () => {
  const dir = workdir();
  writeFileSync(join(dir, 'secrets.env'), `export HUMA_CLIENT_SECRET=${box.credentials.huma.clientSecret}\n`);
  const r = await cli(['preview', '--json', '--secrets', 'secrets.env'], { cwd: dir, env: env({ HUMA_CLIENT_SECRET: 'stale-00000000' }) });
  assert.equal(r.code, 0, r.stderr);
});

test('on a terminal the table is coloured, and NO_COLOR turns colour off', async () => {
  await reset(); // earlier tests synced the shared sandbox; a fresh one has suggestions to show
  // `script` (util-linux, on every Debian) gives the command a real terminal.
  /** @param {Record<string, string>} e */
  const onTerminal = (e) => new Promise((resolve) => {
    const p = spawn('script', ['-qec', `${process.execPath} ${CLI} preview`, '/dev/null'], { env: e, cwd: workdir() });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
  const coloured = /** @type {{ code: number, out: string }} */ (await onTerminal(env({ TERM: 'xterm' })));
  assert.equal(coloured.code, 0);
  assert.match(coloured.out, /\x1b\[1m\d+ in Huma/);
  assert.match(coloured.out, /\x1b\[32m→ huma {3}\x1b\[39m/, 'padded, then coloured');
  const plain = /** @type {{ code: number, out: string }} */ (await onTerminal(env({ TERM: 'xterm', NO_COLOR: '1' })));
  assert.equal(plain.code, 0);
  assert.ok(!/\x1b\[\d+m/.test(plain.out.replace(/\x1b\[2K/g, '')), 'no colour codes with NO_COLOR');
});

test('a state recorded with the activation code still works with the API key alone', async () => {
  await reset();
  const dir = workdir();
  writePolicy(dir, { fields: { '*': 'leave' } });
  assert.equal((await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir })).code, 0);
  const activate = await fetch(`${box.cronaUrl}/api/v1/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(box.credentials.crona) });
  const { apiKey } = await activate.json();
  const { CRONA_ACTIVATION_CODE: _code, ...byKey } = env({ CRONA_API_KEY: apiKey });
  const r = await cli(['sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir, env: byKey });
  assert.equal(r.code, 0, r.stderr);
  const state = JSON.parse(readFileSync(join(dir, 'crona-sync.state.json'), 'utf8'));
  assert.ok(state.connection.cronaCompanyId, 'the company id is kept, not blanked');
});

test('a policy can decide one difference by its id, which a bulk choice never could', async () => {
  await reset();
  const dir = workdir();
  const preview = JSON.parse((await cli(['preview', '--json'], { cwd: dir })).stdout);
  // A value missing in Huma: only an explicit choice of Huma clears Crona's.
  const target = preview.differences.find((/** @type {any} */ d) => d.kind === 'missingInHuma' && d.allowed.includes('huma'));
  writePolicy(dir, { fields: { '*': 'leave' }, choices: { [target.id]: 'huma' } });
  const r = await cli(['sync', '--policy', 'policy.json', '--yes', '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.outcomes.map((/** @type {any} */ o) => [o.person.anstNr, o.outcome]), [[target.person.anstNr, 'done']]);
  writePolicy(dir, { choices: { [target.id]: 'maybe' } });
  assert.equal((await cli(['sync', '--policy', 'policy.json', '--yes'], { cwd: dir })).code, 2);
});
