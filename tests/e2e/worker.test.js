// The core runs off the page's thread: the session, its wasm, the drive() loop and the relay's
// socket live in a dedicated worker, and the page's own thread makes none of the requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup, signedIn, step } from './support.js';

const ctx = setup({ people: 30, drift: 0.1 });

test('the session and its requests live in a worker; the page only draws', async () => {
  const { page, problems, context } = await signedIn(ctx);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  const workers = page.workers().filter((w) => w.url().endsWith('/js/session-worker.js'));
  assert.equal(workers.length, 1, 'one session worker');
  const loaded = await workers[0].evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(loaded.some((name) => name.endsWith('/pkg/web/crona_sync_bg.wasm')), 'the worker loads the core');
  // The relay's requests go over the worker's socket: the page's thread fetched none of them.
  const mine = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.deepEqual(mine.filter((name) => name.includes('/relay/')), []);
  assert.deepEqual(problems, []);
  await context.close();
});
