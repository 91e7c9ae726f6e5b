// The connection stays active by itself, as the page shows it: webhooks set up from the page (the
// secret shown once) and registered in Huma, one HR edit pushed as a webhook run, a burst of ten
// held for an administrator and approved on the page, the result e-mail and drift check set in
// the form, and the daily run on the service's injected clock, all in the runs and error log.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobEnv, runCli, workdir } from '../js/support/cli.js';
import { SANDBOX_CONNECTION, control, setup, shot, signedIn, step } from './support.js';

// 23:00 in Stockholm on the sandbox's "today"; the daily run is due at 00:05.
let clock = new Date('2026-11-25T22:00:00.000Z');
const ctx = setup({ people: 40 }, { now: () => clock, scheduleCheckMs: 100, debounceMs: 1500 });

/** Waits (generously, 60 s) until `check` holds. @param {() => Promise<boolean> | boolean} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited 60 s for ${what}`);
}

/** The sandbox's log position now, and the writes after one. */
const seqNow = async () => (await (await fetch(`${ctx.box.url}/_sandbox/inspect?data=false`)).json()).seq;
/** @param {number} since @returns {Promise<{ method: string, path: string, body: any }[]>} */
async function writesSince(since) {
  const { writes } = await (await fetch(`${ctx.box.url}/_sandbox/inspect?data=false&since=${since}`)).json();
  return writes.map((/** @type {any} */ w) => ({ method: w.method, path: w.path, body: w.body }));
}

/** Planted cases the first sync settles: afterwards these people push like anyone. */
const SETTLED = new Set(['conflict', 'missingInHuma', 'missingInCrona', 'equivalentFormat']);

/** People in both systems whom no lasting planted case concerns (their edits push plainly). @param {number} n */
async function plainPeople(n) {
  const { huma, crona, planted } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const odd = new Set(planted.filter((/** @type {any} */ p) => !SETTLED.has(p.kind)).flatMap((/** @type {any} */ p) => [p.humaId, p.anstNr, ...(p.humaIds ?? [])]));
  const paired = huma.users.filter((/** @type {any} */ u) => u.active && crona.employees.some((/** @type {any} */ e) => e.AnstNr === u.employmentId && e.EpostArb.toLowerCase() === u.email));
  const plain = paired.filter((/** @type {any} */ u) => !odd.has(u.id) && !odd.has(u.employmentId));
  assert.ok(plain.length >= n, `the sample data has ${n} plain people`);
  return plain.slice(0, n);
}

/** The runs of the connection as the service recorded them. */
const runs = () => ctx.service.store.runs(ctx.connectionId);

/** The connection's card, after the list was shown again. @param {import('playwright-core').Page} page */
async function refreshed(page) {
  const shown = await page.getByRole('article', { name: SANDBOX_CONNECTION }).elementHandle();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await shown?.waitForElementState('hidden', { timeout: 60_000 }); // replaced by the new list
  await step(page, 'Connections');
  return page.getByRole('article', { name: SANDBOX_CONNECTION });
}

/**
 * Opens the runs and error log (if closed) and waits for it to load; shows one kind of run if
 * given; answers the run lines shown.
 * @param {import('playwright-core').Locator} card @param {string} [kind]
 */
async function history(card, kind) {
  const details = card.locator('details.history');
  if (!await details.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open)) await details.locator('summary').click();
  await card.locator('details.history[data-loaded]').waitFor({ timeout: 60_000 });
  await card.getByLabel('Show', { exact: true }).selectOption({ label: kind ?? 'All kinds' });
  return card.locator('.history .runs > li > p').allTextContents();
}

/** A fact of the card's list, by its term. @param {import('playwright-core').Locator} card @param {string} term */
const fact = (card, term) => card.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]').textContent();

/** @type {Promise<any[]> | null} */
let activated = null;

/**
 * The first sync, from the command line against the service's store (once for the file): the
 * connection is active. Answers ten plain people: the first is edited alone, then all ten at once.
 */
function active() {
  activated ??= (async () => {
    await control(ctx.box, 'reset', { seed: 1, people: 40 });
    const cwd = workdir();
    await writeFile(join(cwd, 'policy.json'), JSON.stringify({ fields: { bankAccount: 'crona', '*': 'huma' }, createInCrona: 'all', createInHuma: 'all' }));
    const first = await runCli(['sync', '--data', ctx.dir, '--policy', 'policy.json', '--yes', '--allow-mass-change', '--today', '2026-11-25'], { env: jobEnv(ctx.sandbox), cwd });
    assert.equal(first.code, 0, first.stderr);
    return plainPeople(10);
  })();
  return activated;
}

test('webhooks set up on the page: the secret shown once, replaced after a confirmation, and an HR edit arrives as a webhook push', async () => {
  const [person] = await active();
  const { page, problems, context } = await signedIn(ctx, 'anna');
  try {
    const card = page.getByRole('article', { name: SANDBOX_CONNECTION });
    assert.match(await card.getByText(/^Active$/).textContent() ?? '', /Active/);
    assert.match(await fact(card, 'Next daily run') ?? '', /^26 Nov 2026, 00:05$/, 'due at 00:05 in Sweden');
    assert.equal(await fact(card, 'Last webhook received'), 'Webhooks not set up');
    assert.equal(await fact(card, 'Result e-mail'), 'No e-mail: the service has no SMTP server (crona-sync smtp on the server)');
    const section = card.getByRole('region', { name: 'Webhooks' });
    assert.match(await section.textContent() ?? '', /Webhooks: not set up/);

    await section.getByRole('button', { name: 'Set up webhooks' }).click();
    const said = section.getByRole('status').filter({ hasText: 'Webhooks set up.' });
    await said.waitFor();
    assert.match(await said.textContent() ?? '', /shown only now/);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), await said.textContent(), 'focus on what was done');
    assert.match(await section.textContent() ?? '', /In Huma: System settings → Webhooks → Add: URL = .*topics users-create, users-update, users-delete, users-export/);
    const url = await section.getByLabel('Receiver URL', { exact: true }).inputValue();
    const first = await section.getByLabel('Webhook secret (Huma\'s client secret)', { exact: true }).inputValue();
    assert.equal(url, `${ctx.url}/webhooks/${ctx.connectionId}`);
    assert.match(first, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await section.getByLabel('Receiver URL', { exact: true }).getAttribute('readonly'), '');
    assert.match(await section.textContent() ?? '', /Webhooks: set up/);
    await shot(page, 'active-1-webhooks');

    // Replacing asks first: the secret set in Huma stops working.
    await section.getByRole('button', { name: 'Replace the secret' }).click();
    assert.match(await section.getByRole('alert').textContent() ?? '', /stops working at once/);
    await section.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await section.getByLabel('Webhook secret (Huma\'s client secret)', { exact: true }).inputValue(), first, 'cancelled: the secret stays, and still works');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Replace the secret', 'focus back on the button');
    await section.getByRole('button', { name: 'Replace the secret' }).click();
    await section.getByRole('button', { name: 'Replace', exact: true }).click();
    await section.getByRole('status').filter({ hasText: 'Webhooks set up.' }).waitFor();
    const secret = await section.getByLabel('Webhook secret (Huma\'s client secret)', { exact: true }).inputValue();
    assert.notEqual(secret, first, 'a new secret');
    await control(ctx.box, 'webhooks', { url, secret });

    // One HR edit in Huma: pushed by the receiver as a webhook run.
    const since = await seqNow();
    await control(ctx.box, `huma/users/${person.id}/edit`, { phone: '070-555 98 76' });
    await ctx.box.webhooksIdle();
    await until(() => runs().some((r) => r.kind === 'webhook' && r.finishedAt) && ctx.service.store.events(ctx.connectionId, 'queued').length === 0, 'the webhook push');
    assert.deepEqual(await writesSince(since), [{ method: 'PATCH', path: `/api/v1/employees/${person.employmentId}`, body: { Mobil: '070-555 98 76' } }]);

    const after = await refreshed(page);
    assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');
    assert.match(await after.getByRole('region', { name: 'Webhooks' }).textContent() ?? '', /Webhooks: set up/);
    assert.match(await fact(after, 'Last webhook received') ?? '', /^\d+ \w+ \d{4}, \d\d:\d\d$/);
    assert.equal(await fact(after, 'Webhook queue'), 'Empty');
    assert.equal(await fact(after, 'Held events'), 'None');
    const lines = await history(after);
    assert.match(lines[0], /· Webhook push · started by webhooks Done: /);
    assert.ok(lines.some((l) => /· Synchronize users · started by /.test(l)), 'the first sync is there too');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('ten people edited at once are held for an administrator; approving on the page pushes exactly them, as her push', async () => {
  const burst = await active();
  const { page, problems, context } = await signedIn(ctx, 'anna');
  try {
    const since = await seqNow();
    for (const [i, p] of burst.entries()) await control(ctx.box, `huma/users/${p.id}/edit`, { phone: `070-818 18 ${10 + i}` });
    await ctx.box.webhooksIdle();
    await until(() => ctx.service.store.events(ctx.connectionId, 'held').length === 10, 'the held burst');
    assert.deepEqual(await writesSince(since), [], 'nothing written without approval');

    const card = await refreshed(page);
    assert.equal(await fact(card, 'Held events'), '10 events held for an administrator: see "Held for you" below');
    assert.equal(await card.locator('dd.attention').count(), 1, 'highlighted');
    const held = card.getByRole('region', { name: 'Held for you (10)' });
    assert.match(await held.textContent() ?? '', /a sync covers them too/);
    const events = held.locator('.held-events li');
    await events.first().waitFor();
    assert.equal(await events.count(), 10);
    for (const line of await events.allTextContents()) assert.match(line, /^\d+ \w+ \d{4}, \d\d:\d\d · users-update · 1 person: \S.+/);
    // What approving would write, read from both systems when asked: the ten phones.
    await held.getByText('What approving would write').click();
    await held.getByText(/^10 writes for 10 people, read from both systems now\. This is a mass change: approving it is your approval\.$/).waitFor({ timeout: 60_000 });
    const planned = await held.getByRole('list', { name: 'What approving would write' }).getByRole('listitem').allTextContents();
    assert.equal(planned.length, 10);
    for (const line of planned) assert.match(line, /Mobile phone/);
    await shot(page, 'active-2-held');

    await held.getByRole('button', { name: 'Approve and push now' }).click();
    const notice = card.locator('.notice');
    await notice.waitFor({ timeout: 60_000 });
    assert.match(await notice.textContent() ?? '', /^Approved: 10 people pushed\. /);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('notice')), true, 'focus on the result');
    assert.equal(await card.getByRole('region', { name: /Held for you/ }).count(), 0, 'nothing held any more');
    assert.equal(await fact(card, 'Held events'), 'None');

    const writes = await writesSince(since);
    assert.deepEqual(writes.map((w) => `${w.method} ${w.path}`).sort(), burst.map((p) => `PATCH /api/v1/employees/${p.employmentId}`).sort());
    assert.deepEqual(writes.map((w) => Object.keys(w.body)), burst.map(() => ['Mobil']));
    const lines = await history(card);
    assert.match(lines[0], /· Push · started by anna Done: /, 'the approval is anna\'s push');
    await shot(page, 'active-3-approved');

    // The error log by kind: the webhook runs, and what the receiver held; downloadable.
    const webhookLines = await history(card, 'Webhook push');
    assert.ok(webhookLines.length >= 1 && webhookLines.every((l) => l.includes('· Webhook push ·')), `only webhook runs (${webhookLines})`);
    const other = card.locator('.history h5', { hasText: 'Other errors' }).locator('xpath=following-sibling::ul[1]/li');
    await other.first().waitFor();
    assert.match(await other.first().textContent() ?? '', /Held for an administrator: /);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download the error log (CSV)' }).click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^crona-sync-errors-${ctx.connectionId}-webhook-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
    const text = await readFile(/** @type {string} */ (await download.path()), 'utf8');
    const [header, ...rows] = text.trim().split('\r\n');
    assert.equal(header, '"at","run","kind","person","humaId","anstNr","system","status","code","message","fields","peopleHeld"');
    assert.ok(rows.length >= 1 && rows.every((r) => r.includes('"Webhook push"')), 'the filtered rows, with their kind');
    assert.ok(rows.some((r) => r.includes('Held for an administrator') && r.endsWith(',"10"')), 'the held burst of ten');
    const [json] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download the error log (JSON)' }).click()]);
    const entries = JSON.parse(await readFile(/** @type {string} */ (await json.path()), 'utf8'));
    assert.deepEqual([...new Set(entries.map((/** @type {any} */ e) => e.kind))], ['webhook']);
    assert.deepEqual((await history(card, 'Push')).map((l) => /· Push · started by anna Done/.test(l)), [true], 'the one push: the approval');
    assert.deepEqual(problems, []);
  } finally {
    await control(ctx.box, 'webhooks', undefined, 'DELETE');
    await context.close();
  }
});

test('the result e-mail and the drift check are set in the form, and the daily run shows in the history', async () => {
  await active();
  const { page, problems, context } = await signedIn(ctx, 'anna');
  try {
    await page.getByRole('button', { name: 'Edit' }).click();
    await step(page, `Edit ${SANDBOX_CONNECTION}`);
    const to = page.getByLabel('Result e-mail to');
    await to.fill('lon@example.se, not an address');
    await page.getByRole('button', { name: 'Verify and save' }).click();
    assert.match(await page.locator('.field-error', { hasText: 'isn\'t an e-mail address' }).textContent() ?? '', /^"not an address" isn't an e-mail address/);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'focus on the field to correct');
    await to.fill('lon@example.se,\nchef@example.se');
    await page.getByLabel('Also e-mail the daily run and webhook pushes when they wrote or failed').check();
    await page.getByLabel('Nightly drift check: count what waits for a manual sync').check();
    assert.match(await page.locator('.hint', { hasText: 'one a line' }).textContent() ?? '', /no SMTP server yet/);
    await shot(page, 'active-4-form');
    const saved = page.waitForRequest((r) => r.url().endsWith(`/api/connections/${ctx.connectionId}`) && r.method() === 'PUT');
    await page.getByRole('button', { name: 'Verify and save' }).click();
    await step(page, 'Connections');
    const body = (await saved).postDataJSON();
    assert.deepEqual([body.recipients, body.mailScheduled, body.driftCheck], [['lon@example.se', 'chef@example.se'], true, true]);
    const card = page.getByRole('article', { name: SANDBOX_CONNECTION });
    assert.equal(await fact(card, 'Result e-mail'), 'No e-mail: the service has no SMTP server (crona-sync smtp on the server). Recipients kept for when it has one: lon@example.se, chef@example.se');
    assert.equal(await fact(card, 'Last drift check'), 'Not run yet');

    // Editing again shows what is stored.
    await card.getByRole('button', { name: 'Edit' }).click();
    await step(page, `Edit ${SANDBOX_CONNECTION}`);
    assert.equal(await page.getByLabel('Result e-mail to').inputValue(), 'lon@example.se\nchef@example.se');
    assert.equal(await page.getByLabel('Also e-mail the daily run and webhook pushes when they wrote or failed').isChecked(), true);
    assert.equal(await page.getByLabel('Nightly drift check: count what waits for a manual sync').isChecked(), true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await step(page, 'Connections');

    // 00:06 in Sweden: the daily run, then the drift check.
    clock = new Date('2026-11-25T23:06:00.000Z');
    await until(() => runs().some((r) => r.kind === 'drift' && r.finishedAt), 'the daily run and the drift check');
    const after = await refreshed(page);
    assert.match(await fact(after, 'Last drift check') ?? '', /^\d+ \w+ \d{4}, \d\d:\d\d: Drift check: /);
    assert.match(await fact(after, 'Next daily run') ?? '', /^27 Nov 2026, 00:05$/);
    const lines = await history(after);
    assert.match(lines[0], /· Drift check · started by schedule Done: Drift check: /);
    assert.match(lines[1], /· Daily run · started by schedule Done: /);
    assert.deepEqual((await history(after, 'Daily run')).map((l) => /· Daily run · started by schedule Done/.test(l)), [true], 'one daily run');
    await shot(page, 'active-5-daily');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
