// The crona-sync command as a user runs it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));

/** @param {...string} args */
function run(...args) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

test('--version prints the package and core versions', () => {
  const { status, stdout, stderr } = run('--version');
  assert.equal(status, 0);
  assert.equal(stdout, `crona-sync ${pkg.version} (core ${pkg.version})\n`);
  assert.equal(stderr, '');
  assert.equal(run('-V').stdout, stdout);
});

test('--help lists the commands and documents every exit code', () => {
  const { status, stdout } = run('--help');
  assert.equal(status, 0);
  for (const word of ['connect', 'preview', 'sync', 'push', 'serve', '--version']) assert.ok(stdout.includes(word), word);
  for (const code of ['0', '1', '2', '3', '4']) assert.match(stdout, new RegExp(`^  ${code}  \\S`, 'm'));
});

test('no arguments prints the help and exits 2 (usage)', () => {
  const { status, stdout } = run();
  assert.equal(status, 2);
  assert.match(stdout, /^crona-sync — /);
});

test('an unknown command goes to stderr with exit 2', () => {
  const { status, stdout, stderr } = run('frobnicate');
  assert.equal(status, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /unknown command or option 'frobnicate'/);
});
