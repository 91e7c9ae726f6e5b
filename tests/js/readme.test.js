// The README's examples are code users copy: run them, against the sandbox.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sandbox } from './support/sandbox.js';
import { CLI as cli, jobEnv } from './support/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** @param {string} kind */
function examples(kind) {
  const marker = `<!-- readme-test: ${kind} -->\n\`\`\`js\n`;
  return readme.split(marker).slice(1).map((part) => part.slice(0, part.indexOf('```')));
}

test('the README has tested Node examples', () => {
  assert.ok(examples('node').length >= 2);
});

test('every README example that shows its output prints exactly that', async () => {
  const shown = examples('node').filter((code) => code.includes('// prints: '));
  assert.ok(shown.length >= 1);
  for (const code of shown) {
    const expected = [...code.matchAll(/^\/\/ prints: (.*)$/gm)].map((m) => m[1]);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      cwd: new URL('../..', import.meta.url).pathname,
    });
    assert.deepEqual(stdout.trimEnd().split('\n'), expected);
  }
});

/** Runs a README example against a sandbox, with the environment the examples read. */
async function runWithSandbox(/** @type {string} */ code) {
  const box = await sandbox({ people: 40 });
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      ...process.env,
      HUMA_URL: box.humaUrl,
      HUMA_CLIENT_ID: box.credentials.huma.clientId,
      HUMA_CLIENT_SECRET: box.credentials.huma.clientSecret,
      CRONA_URL: box.cronaUrl,
      CRONA_ACTIVATION_CODE: box.credentials.crona.activationCode,
    },
  });
  return stdout;
}

test('the README Node example connects to both systems and prints the company', async () => {
  const [code] = examples('node').filter((c) => c.includes('verify()'));
  // Asynchronous: the sandbox runs in this process and must keep answering.
  const out = await runWithSandbox(code);
  assert.match(out, /^crona-sync \d+\.\d+\.\d+: connected to \S.+; page size 50\n$/);
});

test('the README preview example prints the counts, two differences and a blocker', async () => {
  const [code] = examples('node').filter((c) => c.includes('session.preview()'));
  const lines = (await runWithSandbox(code)).trimEnd().split('\n');
  const [matched, differences, blockers] = (lines[0].match(/^(\d+) matched, (\d+) differences, (\d+) blockers$/) ?? []).slice(1).map(Number);
  assert.ok(matched > 0 && differences > 0 && blockers > 0, lines[0]);
  assert.match(lines[1], /^- .+'s .+ (differs|is missing in (Huma|Crona)).*\. Choices: [a-z, ]+\.$/);
  assert.match(lines[3], /^! .{20,}/);
  assert.equal(lines.length, 4);
});

test('the README first-sync example runs start to finish: plan in words, result, next state', async () => {
  const [code] = examples('node').filter((c) => c.includes('session.apply('));
  const lines = (await runWithSandbox(code)).trimEnd().split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], /^Update \d+ employees in Crona, update \d+ users in Huma, create \d+ employees in Crona, create 1 user in Huma\. \d+ differences are left as they are\./);
  assert.match(lines[1], /^Synchronisation of 2026-11-25: \d+ people created, \d+ records updated\. \d+ differences remain\. true$/);
});

test("the README's command-line section works as written, against the sandbox", async () => {
  const section = readme.slice(readme.indexOf('## The command line'));
  const block = section.slice(section.indexOf('```sh\n') + 6, section.indexOf('```', section.indexOf('```sh\n') + 6));
  const steps = block.split('\n').filter((l) => l.startsWith('npx crona-sync') || l.startsWith('echo '));
  assert.equal(steps.length, 4);
  const box = await sandbox({ people: 40 });
  const dir = (await import('node:fs')).mkdtempSync(join(tmpdir(), 'crona-sync-readme-'));
  const env = jobEnv(box);
  for (const step of steps) {
    const line = step.replace(/\s+#.*$/, '');
    if (line.startsWith('echo ')) {
      const [, json, file] = /** @type {RegExpMatchArray} */ (line.match(/^echo '(.*)' > (\S+)$/));
      writeFileSync(join(dir, file), json);
      continue;
    }
    // A test has no terminal to confirm on: --yes, as a scheduled job would pass.
    const args = [...(line.slice('npx crona-sync '.length).match(/"[^"]*"|\S+/g) ?? [])].map((a) => a.replace(/^"|"$/g, ''));
    if (args[0] === 'sync') args.push('--yes');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: dir, env, encoding: 'utf8' });
    assert.ok(stdout.length > 0, line);
  }
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  assert.equal(report.errors.length, 0);
  assert.ok(report.summary.counts.updated > 0 && report.summary.counts.created > 0);
});

test("the README's serve section works as written: a Huma edit reaches Crona through the webhook", async () => {
  const section = readme.slice(readme.indexOf('## Real time'));
  const block = section.slice(section.indexOf('```sh\n') + 6, section.indexOf('```', section.indexOf('```sh\n') + 6));
  const box = await sandbox({ people: 40 });
  const dir = (await import('node:fs')).mkdtempSync(join(tmpdir(), 'crona-sync-readme-'));
  /** @type {Record<string, string>} */
  const env = jobEnv(box);
  // The first sync the section starts from.
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ fields: { '*': 'huma' } }));
  await promisify(execFile)(process.execPath, [cli, 'sync', '--policy', 'policy.json', '--yes', '--allow-mass-change'], { cwd: dir, env });
  const { huma, crona } = await box.inspect();
  const person = huma.users.find((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  const port = await freePort();
  const lines = block.split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replaceAll('http://127.0.0.1:8080', box.url).replaceAll('8787', String(port)).replaceAll('<Huma user id>', person.id).replace(/\s+#.*$/, ''));
  assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 2).join(' ')), ['export HUMA_WEBHOOK_SECRET=change-me-to-a-long-random-string', 'npx crona-sync', 'curl -s', 'curl -s', 'curl -s']);
  const { seq } = await box.inspect();
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let serve;
  /** @type {any} */
  let health = null;
  try {
    for (const line of lines) {
      if (line.startsWith('export ')) {
        const [, key, value] = /** @type {RegExpMatchArray} */ (line.match(/^export (\w+)=(\S+)$/));
        env[key] = value;
      } else if (line.startsWith('npx crona-sync serve')) {
        const args = line.replace(/\s*&$/, '').split(/\s+/).slice(2);
        serve = (await import('node:child_process')).spawn(process.execPath, [cli, ...args], { cwd: dir, env });
        const started = /** @type {import('node:child_process').ChildProcess} */ (serve);
        await new Promise((resolve) => started.stdout?.on('data', (d) => String(d).includes('listening on') && resolve(undefined)));
      } else {
        // curl -s URL [-H 'h: v'] [-d 'json']: a POST with -d, else a GET.
        const url = /** @type {string} */ (line.split(/\s+/)[2]);
        const data = line.match(/ -d '(.*)'$/)?.[1];
        if (!data) {
          // The push ends after the write: its outcome shows a moment later.
          await waitUntil(async () => Boolean((health = await (await fetch(url)).json()).lastPush));
          continue;
        }
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: data });
        assert.ok(response.ok, `${line}: ${response.status}`);
        if (url.includes('/edit')) {
          await box.webhooksIdle();
          await waitUntil(async () => (await box.inspect(seq)).writes.some((/** @type {any} */ w) => w.system === 'crona'));
        }
      }
    }
  } finally {
    serve?.kill('SIGTERM');
  }
  const writes = (await box.inspect(seq)).writes.map((/** @type {any} */ w) => [w.method, w.path, w.body]);
  assert.deepEqual(writes, [['PATCH', `/api/v1/employees/${person.employmentId}`, { Mobil: '070-555 12 34' }]]);
  assert.equal(health.status, 'ok');
  assert.equal(health.lastPush.updated, 1);
});

/** A port nothing listens on right now. */
async function freePort() {
  const server = (await import('node:net')).createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

/** Polls `check` until it is true. @param {() => Promise<boolean>} check */
async function waitUntil(check) {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

test("the README's store example works as written: connect once, then nothing but --data", async () => {
  const section = readme.slice(readme.indexOf('**One store instead of files.**'));
  const block = section.slice(section.indexOf('```sh\n') + 6, section.indexOf('```', section.indexOf('```sh\n') + 6));
  const lines = block.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, ''));
  assert.equal(lines.length, 3);
  const box = await sandbox({ people: 40 });
  const dir = (await import('node:fs')).mkdtempSync(join(tmpdir(), 'crona-sync-readme-'));
  for (const line of lines) {
    // `env -i PATH="$PATH"` runs with no environment but the path: no secret at all.
    const bare = line.startsWith('env -i ');
    const command = bare ? line.replace(/^env -i PATH="\$PATH" /, '') : line;
    const args = [...(command.slice('npx crona-sync '.length).match(/"[^"]*"|\S+/g) ?? [])].map((a) => a.replace(/^"|"$/g, ''));
    const env = bare ? { PATH: process.env.PATH ?? '' } : jobEnv(box);
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: dir, env, encoding: 'utf8' });
    assert.ok(stdout.length > 0, line);
  }
  assert.ok((await import('node:fs')).existsSync(join(dir, 'backup-2026-12-03.db')));
});
