// Run reports keep what was written (the audit trail) for --retain-days (default 90), then go:
// the service deletes older ones when it starts and once a day.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startService } from '../../pkg/lib/service/server.js';
import { Store } from '../../pkg/lib/service/store.js';

test('the service deletes run reports and errors older than --retain-days when it starts', async () => {
  let t = new Date('2026-09-01T10:00:00.000Z').getTime();
  const store = Store.open(join(mkdtempSync(join(tmpdir(), 'crona-sync-retain-')), 'data'), { env: {}, now: () => new Date(t) });
  const id = store.addConnection({ name: 'Bygg', settings: { huma: {}, crona: {}, scope: {} } });
  const old = store.startRun(id, 'sync', 'anna');
  store.finishRun(old, { outcome: 'failed', summary: 'old', report: { written: ['Adress1 Storgatan 1'] }, errors: [{ code: 'write_failed', message: 'old' }] });
  t += 80 * 86_400_000;
  const recent = store.startRun(id, 'sync', 'anna');
  store.finishRun(recent, { outcome: 'done', summary: 'recent', report: { written: [] } });
  t += 11 * 86_400_000; // the old run is 91 days old, the recent one 11
  /** @type {string[]} */
  const lines = [];
  const svc = await startService({ store, port: 0, retainDays: 90, log: (l) => lines.push(l) });
  try {
    assert.deepEqual(store.runs(id).map((r) => r.summary), ['recent']);
    assert.equal(store.report(old), null);
    assert.deepEqual(store.errors(id), []);
    assert.ok(lines.includes('deleted 1 run report(s) older than 90 days'), lines.join('\n'));
  } finally {
    await svc.close();
  }
});
