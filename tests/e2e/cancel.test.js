// Cancelling a run, and leaving with work not yet run, as an administrator does it in Debian's
// Chromium through the service against the sandbox. Writes are slowed in the sandbox (its
// `latency` fault) so that some are in flight when Cancel is confirmed: the result must count
// exactly what the sandbox received, the run's state must be saved (the connection active, the
// next sync not a first one), and the report must download.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SANDBOX_CONNECTION, control, setup, shot, signedIn, step } from './support.js';

const ctx = setup({ people: 40 });
/** Slow enough that a batch of writes is still on its way when the administrator confirms. */
const WRITE_LATENCY_MS = 2500;
const FIRST_SYNC = 'This first sync activates the connection';

/** @returns {Promise<number>} */
async function seq() {
  return (await (await fetch(`${ctx.box.url}/_sandbox/inspect?data=false`)).json()).seq;
}

/** The writes the sandbox took since `since`, as "system METHOD path" (a 409 created nothing). @param {number} since */
async function landedSince(since) {
  const { writes } = await (await fetch(`${ctx.box.url}/_sandbox/inspect?since=${since}&data=false`)).json();
  return writes.filter((/** @type {any} */ w) => w.status >= 200 && w.status < 300).map((/** @type {any} */ w) => `${w.system} ${w.method} ${w.path}`).sort();
}

/** What a done outcome wrote, in the same form. @param {import('../../pkg/index.js').OperationOutcome} o */
function written(o) {
  switch (o.kind) {
    case 'updateCrona': return `crona PATCH /api/v1/employees/${o.person.anstNr}`;
    case 'createCrona': return 'crona POST /api/v1/employees';
    case 'updateHuma': return `huma PATCH /users/${o.person.humaId}`;
    default: return o.operationId.endsWith(':details') ? `huma PATCH /users/${o.person.humaId}` : 'huma POST /users';
  }
}

/** Waits until `check` resolves true. @param {() => Promise<boolean>} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting: ${what}`);
}

/** A fresh sandbox and connection, and anna's page in the conflicts step of a first sync. */
async function firstSync() {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  const id = await ctx.freshConnection();
  const opened = await signedIn(ctx, 'anna');
  const card = opened.page.getByRole('article', { name: SANDBOX_CONNECTION });
  assert.match(await card.textContent() ?? '', /Not active yet/);
  await card.getByRole('button', { name: 'Synchronize users' }).click();
  await step(opened.page, 'Conflicts and missing values');
  assert.equal(await opened.page.getByText(FIRST_SYNC, { exact: false }).count(), 1, 'the first sync says it is one');
  return { ...opened, id, card };
}

test('leaving with choices not yet run asks first: the crumb with a dialog, closing the tab with the browser\'s question', async () => {
  const { page, problems, context, id } = await firstSync();
  // Choices not yet run: the crumb asks, and "Stay" keeps everything.
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');
  await page.getByRole('button', { name: '‹ Connections' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave this sync?' });
  await leave.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Stay', 'focus starts on the safe answer');
  await shot(page, 'cancel-0-leave-asks');
  await leave.getByRole('button', { name: 'Stay' }).click();
  await leave.waitFor({ state: 'detached' });
  await step(page, 'Conflicts and missing values');
  assert.equal(await page.getByLabel(/^Mobile phone \(\d+\)$/).inputValue(), 'huma', 'the choice is still there');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), '‹ Connections', 'focus goes back to the crumb');
  assert.equal(ctx.service.store.lease(id)?.holder, 'anna (page)', 'the run still holds the connection');

  // Closing the tab asks too (the browser's own question); dismissing it keeps the page.
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const question = await asked;
  assert.equal(question.type(), 'beforeunload');
  await question.dismiss();
  await step(page, 'Conflicts and missing values');

  // "Leave" leaves: the run ends as cancelled before anything was written.
  await page.getByRole('button', { name: '‹ Connections' }).click();
  await leave.getByRole('button', { name: 'Leave and drop my choices' }).click();
  await step(page, 'Connections');
  assert.equal(ctx.service.store.lease(id), null);
  assert.deepEqual(ctx.service.store.runs(id).map((r) => [r.outcome, r.summary]), [['cancelled', 'Cancelled before anything was written.']]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Cancel asks, waits for the writes in flight, and the result, the state and the report say exactly what was written', async () => {
  const { page, problems, context, id, card } = await firstSync();
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');

  // Everyone Huma-only who can be created in Crona: enough operations to stop in the middle.
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  await page.getByRole('region', { name: /Only in Huma/ }).getByLabel(/^Select all/).check();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  const approve = page.getByLabel(/I have checked it and approve it/);
  if (await approve.count()) await approve.check();
  const runButton = page.getByRole('button', { name: /^Run \d+ operations$/ });
  const total = Number((await runButton.textContent())?.match(/\d+/)?.[0]);
  assert.ok(total > 12, `more operations than two rounds of six (${total})`);

  await control(ctx.box, 'faults', { rules: [
    { system: 'any', method: 'PATCH', kind: 'latency', latencyMs: WRITE_LATENCY_MS },
    { system: 'huma', method: 'POST', path: '^/users$', kind: 'latency', latencyMs: WRITE_LATENCY_MS },
    { system: 'crona', method: 'POST', path: '^/api/v1/employees$', kind: 'latency', latencyMs: WRITE_LATENCY_MS },
  ] });
  const before = await seq();
  await runButton.click();
  await step(page, 'Running the plan');

  // Cancel asks first; "Keep running" keeps the run going.
  await page.getByRole('button', { name: 'Cancel' }).click();
  const stopDialog = page.getByRole('dialog', { name: 'Stop the run?' });
  await stopDialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep running');
  await shot(page, 'cancel-1-stop-asks');
  await stopDialog.getByRole('button', { name: 'Keep running' }).click();
  await stopDialog.waitFor({ state: 'detached' });
  await until(async () => (await landedSince(before)).length >= 6, 'the first writes land after "Keep running"');
  assert.equal(await page.getByRole('heading', { level: 2, name: 'Running the plan' }).count(), 1, 'still running');
  // The progress line counts the writes against the plan's total and says how long it has run.
  await until(async () => /^\d+ of \d+ operations · \d+ done · \d+ failed · \d+ s so far/.test(await page.locator('.progress-text').textContent() ?? ''), 'the write progress names counts and elapsed time');

  // Now stop, while the next writes are on their way.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await stopDialog.waitFor();
  await stopDialog.getByRole('button', { name: 'Stop the run' }).click();
  const stopping = page.getByRole('status').filter({ hasText: /^Stop/ });
  await stopping.waitFor();
  const said = await stopping.textContent() ?? '';
  assert.match(said, /^(Stopping: waiting for \d+ writes? already sent…|Stopped sending: checking what was written…)$/);
  await shot(page, 'cancel-2-stopping');

  await step(page, 'Stopped');
  await shot(page, 'cancel-3-result');
  await control(ctx.box, 'faults', undefined, 'DELETE');
  const landed = await landedSince(before);
  assert.ok(landed.length >= 6 && landed.length < total, `part of the plan was written (${landed.length} of ${total})`);

  // The report, as downloaded: its done writes are exactly the sandbox's, none missing, none invented.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (JSON)' }).click()]);
  /** @type {import('../../pkg/index.js').Report} */
  const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(report.stopped, true);
  const done = report.outcomes.filter((o) => o.outcome === 'done');
  assert.deepEqual(done.map(written).sort(), landed);
  const by = (/** @type {string} */ outcome) => report.outcomes.filter((o) => o.outcome === outcome).length;
  assert.equal(by('unknown'), 0, 'every write in flight was answered');
  assert.equal(by('failed'), 0);
  assert.ok(by('notRun') > 0);
  assert.equal(by('done') + by('notRun'), report.outcomes.length);
  // The page shows the same counts.
  assert.equal(await page.locator('.counts').textContent(), `Operations: ${landed.length} done · 0 failed · 0 may have been written · ${by('notRun')} not run`);
  assert.match(await page.locator('.status-error').first().textContent() ?? '', new RegExp(`^Synchronisation of \\d{4}-\\d\\d-\\d\\d: .* ${by('notRun')} writes? (was|were) not run\\.`));

  // The service recorded the cancelled run with its report and saved its state: the connection is active.
  const runs = ctx.service.store.runs(id);
  assert.deepEqual(runs.map((r) => [r.kind, r.outcome]), [['sync', 'cancelled']]);
  assert.match(runs[0].summary ?? '', /^Cancelled while writing: Synchronisation of /);
  const saved = ctx.service.store.state(id);
  assert.equal(saved.version, 1, 'the state was saved');
  assert.ok(saved.state?.activatedAt);
  assert.equal(ctx.service.store.lease(id), null, 'the connection is free');
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  assert.match(await card.getByText(/^Active$/).textContent() ?? '', /Active/);

  // The next sync goes on from there: not a first sync, and what was not run is still to decide.
  await card.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  assert.equal(await page.getByText(FIRST_SYNC, { exact: false }).count(), 0, 'not a first sync');
  await page.getByRole('button', { name: '‹ Connections' }).click(); // nothing chosen: leaves without asking
  await step(page, 'Connections');
  assert.deepEqual(problems, []);
  await context.close();
});
