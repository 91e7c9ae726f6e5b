// The npm package as users load it: through its name and "exports" map, in Node.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as api from 'crona-sync';
import { CronaSyncError, checkConfig, version } from 'crona-sync';

const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');

test('the core version is the package version and the crate version', () => {
  assert.equal(version(), pkg.version);
  assert.match(cargo, new RegExp(`^version = "${pkg.version.replace(/\./g, '\\.')}"$`, 'm'));
});

test('the Node entry exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(api).sort(), [
    'CronaSyncError', 'SyncSession', 'checkConfig', 'cronaTransport', 'default', 'drive', 'fieldLabel', 'fields', 'humaTransport', 'parseBankAccount', 'relayTransport',
    'validateBankAccount', 'version',
  ]);
});

test('a core error reaches JS as a CronaSyncError with code and details', () => {
  assert.throws(
    () => checkConfig({ today: '2026-02-30', now: '2026-02-28T10:00:00Z' }),
    (error) => {
      assert.ok(error instanceof CronaSyncError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'CronaSyncError');
      assert.equal(error.code, 'invalid_config');
      assert.deepEqual(error.details, { field: 'today', reason: 'must be a real date written YYYY-MM-DD; got "2026-02-30"' });
      assert.match(error.stack ?? '', /CronaSyncError/);
      return true;
    },
  );
});

test('checkConfig returns the config with every default filled in', () => {
  const config = checkConfig({ today: '2026-11-25', now: '2026-11-25T09:30:00+01:00', options: { pageSize: 20 } });
  assert.deepEqual(config, {
    today: '2026-11-25',
    now: '2026-11-25T09:30:00+01:00',
    mode: 'sync',
    state: null,
    scope: { companies: [], teams: [], locations: [] },
    humaUserIds: [],
    options: { lenientBankAccounts: false, massChangeShare: 0.2, massChangeMin: 10, massChangeMaxWrites: 50, autoCreate: false, pageSize: 20 },
  });
});

test('hostile and impossible config values get coded errors, never a crash', () => {
  /** @type {unknown[]} */
  const bad = [
    undefined,
    null,
    'config',
    [],
    { today: '2026-11-25' },
    { today: '2026-11-25', now: '2026-11-25T09:30:00Z', options: { pageSize: -1 } },
    { today: '2026-11-25', now: '2026-11-25T09:30:00Z', options: { pageSize: Number.NaN } },
    { today: '2026-11-25', now: '2026-11-25T09:30:00Z', options: { massChangeShare: Infinity } },
    { today: '2026-11-25', now: '2026-11-25T09:30:00Z', scope: { teams: ['<script>alert(1)</script>'] } },
    { today: '\u0000'.repeat(10), now: '2026-11-25T09:30:00Z' },
    { today: 20261125, now: '2026-11-25T09:30:00Z' },
    { today: '2026-11-25', now: '2026-11-25T09:30:00Z', __proto__: { polluted: true }, extra: 1 },
  ];
  for (const config of bad) {
    assert.throws(
      () => checkConfig(/** @type {any} */ (config)),
      (error) => error instanceof CronaSyncError && ['invalid_config', 'invalid_argument'].includes(error.code),
      JSON.stringify(config),
    );
  }
  assert.equal(version(), pkg.version, 'the core still works after every refusal');
});

test('the browser entry loads in Node with initSync-style bytes and refuses use before init', () => {
  const script = `
    import init, { version, CronaSyncError } from 'crona-sync/web';
    import { readFileSync } from 'node:fs';
    let before;
    try { version(); } catch (e) { before = [e instanceof CronaSyncError, e.code]; }
    const bytes = readFileSync(new URL('./pkg/web/crona_sync_bg.wasm', 'file://' + process.cwd() + '/'));
    await init({ module_or_path: bytes });
    await init(); // a second call is harmless
    console.log(JSON.stringify({ before, after: version() }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { before: [true, 'not_initialized'], after: pkg.version });
});

test('the package publishes only what it documents', () => {
  assert.deepEqual(Object.keys(pkg.exports), ['.', './web', './package.json']);
  assert.equal(pkg.exports['.'].node, './index.js');
  assert.equal(pkg.exports['.'].default, './web.js');
  assert.equal(pkg.bin['crona-sync'], './cli.js');
  assert.equal(pkg.name, 'crona-sync');
});
