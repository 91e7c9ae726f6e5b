// The README's examples are code users copy: run them, against the sandbox.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sandbox } from './support/sandbox.js';

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
  const env = {
    PATH: process.env.PATH ?? '',
    HUMA_URL: box.humaUrl, CRONA_URL: box.cronaUrl,
    HUMA_CLIENT_ID: box.credentials.huma.clientId, HUMA_CLIENT_SECRET: box.credentials.huma.clientSecret,
    CRONA_ACTIVATION_CODE: box.credentials.crona.activationCode,
  };
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
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
