// pkg/index.d.ts is written by hand: this checks it against what the core really returns. A
// whole sync runs against the sandbox (the 40-person data set, every planted case); its preview,
// plan, report and next state are written into a TypeScript file as object literals of the
// declared types, and tsc --strict checks them: a property the declarations don't know, a
// missing required one or a wrong type fails the test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { SyncSession, cronaTransport, drive, humaTransport } from 'crona-sync';
import { sandbox } from './support/sandbox.js';

const box = await sandbox({ people: 40, drift: 0.3 });
const INDEX = new URL('../../pkg/index.js', import.meta.url).pathname;
const TSC = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;

test('the preview, plan, report and next state of a real sync match pkg/index.d.ts exactly', async () => {
  const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T10:00:00+01:00' });
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma });
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona });
  await drive(session, { huma, crona }, { concurrency: 6 });
  const preview = session.preview();
  const plan = session.plan({ fieldDefaults: { bankAccount: 'crona' }, createInCrona: 'all', createInHuma: 'all' });
  session.apply(plan.hash, { allowMassChange: true });
  await drive(session, { huma, crona }, { concurrency: 6 });
  const report = session.report();
  session.free();
  assert.ok(preview.differences.length > 10 && plan.operations.length > 10 && report.remaining.length > 0, 'a sync with something in every list');

  const dir = mkdtempSync(join(tmpdir(), 'crona-sync-types-'));
  const file = join(dir, 'real.ts');
  writeFileSync(file, [
    `import type { Preview, Plan, Report, SyncState } from ${JSON.stringify(INDEX)};`,
    `export const preview: Preview = ${JSON.stringify(preview)};`,
    `export const plan: Plan = ${JSON.stringify(plan)};`,
    `export const report: Report = ${JSON.stringify(report)};`,
    `export const state: SyncState = ${JSON.stringify(report.nextState)};`,
  ].join('\n'));
  const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--allowJs', '--skipLibCheck', file];
  const result = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }).then(() => ({ out: '' }), (/** @type {any} */ e) => ({ out: `${e.stdout}${e.stderr}` }));
  assert.equal(result.out.split('\n').slice(0, 20).join('\n'), '');
});
