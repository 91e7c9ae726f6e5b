// The integration page as a payroll administrator uses it, in Debian's Chromium against the
// sandbox: connect, the whole first sync, a re-sync, failures, hostile names, keyboard only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncSession, cronaTransport, drive, humaTransport } from '../../pkg/index.js';
import { control, openPage, setup, shot, step } from './support.js';

const ctx = setup({ people: 40 });

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/** The writes after `since`, comparable with planned requests. @param {number} since */
async function writesSince(since) {
  const { writes } = await (await fetch(`${ctx.box.url}/_sandbox/inspect?since=${since}`)).json();
  // A create repeated after a lost answer meets 409 and creates nothing: not a write of its own.
  return writes.filter((/** @type {any} */ w) => w.status !== 409).map((/** @type {any} */ w) => ({ method: w.method, path: w.path, body: w.body })).sort(byRequest);
}

/** @param {{ method: string, path: string }} a @param {{ method: string, path: string }} b */
function byRequest(a, b) {
  return `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`);
}

/** What the core plans for these decisions on the sandbox as it is now (read only). @param {any} state @param {any} decisions */
async function expectedPlan(state, decisions) {
  const t = {
    huma: humaTransport({ baseUrl: ctx.box.humaUrl, clientId: ctx.box.credentials.huma.clientId, clientSecret: ctx.box.credentials.huma.clientSecret }),
    crona: cronaTransport({ baseUrl: ctx.box.cronaUrl, activationCode: ctx.box.credentials.crona.activationCode }),
  };
  const s = new SyncSession({ today: today(), now: new Date().toISOString(), state });
  await drive(s, t);
  return s.plan(decisions);
}

/** @param {import('playwright-core').Page} page */
async function seq(page) {
  return (await (await page.request.get(`${ctx.box.url}/_sandbox/inspect?data=false`)).json()).seq;
}

/** A freshly reset sandbox and a new page (its own storage), on the connections list. */
async function start() {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  const opened = await openPage(ctx.browser);
  await opened.page.goto(ctx.box.url + '/');
  await step(opened.page, 'Connections');
  return opened;
}

/** From the review step: approve a mass change when asked, run, and wait for the result. @param {import('playwright-core').Page} page */
async function approveAndRun(page) {
  await step(page, 'Review the plan');
  const approve = page.getByLabel(/I have checked it and approve it/);
  if (await approve.count()) await approve.check();
  await page.getByRole('button', { name: /^Run \d+ operations$/ }).click();
  await step(page, /^Done/);
}

test('connect, then the whole first sync: the sandbox receives exactly the chosen writes', async () => {
  const { page, problems, context } = await start();
  await shot(page, 'wizard-0-connections');

  // Connect as a new administrator would, from the form.
  await page.getByRole('button', { name: 'Add connection' }).click();
  await step(page, 'Add a connection');
  await page.getByLabel('Name').fill('Exempel Bygg AB');
  await page.getByLabel('Huma API base URL').fill(ctx.box.humaUrl);
  await page.getByLabel('Huma client ID').fill(ctx.box.credentials.huma.clientId);
  await page.getByLabel('Huma client secret').fill(ctx.box.credentials.huma.clientSecret);
  await page.getByLabel('Crona Lön API base URL').fill(ctx.box.cronaUrl);
  await page.getByLabel('Crona activation code (Aktiveringskod)').fill(ctx.box.credentials.crona.activationCode);
  await page.getByRole('button', { name: 'Load groups from Huma' }).click();
  await page.getByText(/\d+ groups loaded\./).waitFor();
  await page.getByRole('button', { name: 'Verify and save' }).click();
  assert.match(await page.getByText('Confirm that you may connect these systems.').textContent() ?? '', /Confirm/, 'the authority checkbox is required');
  await page.getByLabel(/I have the authority/).check();
  await shot(page, 'wizard-1-connect');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await step(page, 'Connections');
  const card = page.getByRole('article', { name: 'Exempel Bygg AB' });
  await card.getByText('Exempel Bygg', { exact: false }).first().waitFor();
  assert.doesNotMatch(await card.textContent() ?? '', /Not verified yet/, 'saving shows the Crona company it reached');

  // 1. Fetch.
  const before = await seq(page);
  await card.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await shot(page, 'wizard-2-conflicts');

  // 2. A bulk choice for phones, and one suggestion overruled by hand.
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');
  const suggested = page.locator('fieldset.diff', { has: page.locator('.badge-suggested') }).filter({ has: page.getByRole('radio', { name: 'Leave as it is' }) }).first();
  const leave = suggested.getByRole('radio', { name: 'Leave as it is' });
  const id = (await leave.getAttribute('name'))?.replace(/^choice-/, '');
  await leave.check();
  await page.getByText(/^With these choices: /).waitFor();

  // 3. Create every Huma-only person who can be created in Crona, nobody in Huma.
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  const onlyHuma = page.getByRole('region', { name: /Only in Huma/ });
  await onlyHuma.getByLabel(/^Select all/).check();
  await shot(page, 'wizard-3-create');
  const chosen = await onlyHuma.locator('input[type=checkbox]:checked:not([id^=all])').count();

  // 4. Review: the plan in words and as operations, and the mass-change approval.
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  await shot(page, 'wizard-4-review');
  const pageOps = await page.getByRole('list', { name: 'Operations' }).getByRole('listitem').allTextContents();

  const preview = await (async () => {
    const s = new SyncSession({ today: today(), now: new Date().toISOString(), state: null });
    await drive(s, {
      huma: humaTransport({ baseUrl: ctx.box.humaUrl, clientId: ctx.box.credentials.huma.clientId, clientSecret: ctx.box.credentials.huma.clientSecret }),
      crona: cronaTransport({ baseUrl: ctx.box.cronaUrl, activationCode: ctx.box.credentials.crona.activationCode }),
    });
    return s.preview();
  })();
  const createInCrona = preview.onlyInHuma.filter((o) => o.creatable).map((o) => /** @type {string} */ (o.person.humaId));
  assert.ok(createInCrona.length > 0 && chosen > 0);
  const plan = await expectedPlan(null, { choices: { [/** @type {string} */ (id)]: 'leave' }, fieldDefaults: { phone: 'huma' }, createInCrona, createInHuma: [] });
  assert.deepEqual(pageOps.slice(0, 25), plan.operations.slice(0, 25).map((o) => o.description));
  assert.ok(plan.operations.some((o) => o.fields.includes('phone')) && plan.operations.some((o) => o.kind === 'createCrona'));
  assert.ok(!plan.operations.some((o) => o.fields.includes(String(preview.differences.find((d) => d.id === id)?.field)) && o.person.humaId === preview.differences.find((d) => d.id === id)?.person.humaId), 'the overruled suggestion is not written');

  const run = page.getByRole('button', { name: /^Run \d+ operations$/ });
  if (plan.needsMassChangeApproval) {
    assert.equal(await run.isDisabled(), true, 'a mass change waits for approval');
    await page.getByLabel(/I have checked it and approve it/).check();
  }
  await run.click();

  // 5–6. Run, then the result.
  await step(page, 'Done');
  await shot(page, 'wizard-6-result');
  assert.match(await page.locator('.status-ok').first().textContent() ?? '', /^Synchronisation of \d{4}-\d\d-\d\d: \d+ people created, \d+ records updated\./);
  const expected = plan.operations.map((o) => ({ method: o.request.method, path: o.request.path, body: typeof o.request.body === 'string' ? JSON.parse(o.request.body) : o.request.body })).sort(byRequest);
  assert.deepEqual(await writesSince(before), expected);
  assert.ok(await page.getByRole('link', { name: 'Download the report (JSON)' }).getAttribute('href'));
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  assert.match(await card.textContent() ?? '', /Active since/);
  assert.match(await card.getByText(/^Active$/).textContent() ?? '', /Active/);

  // No secret in storage, and none in the address bar.
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
  assert.ok(stored.includes('activatedAt'), 'the sync state is kept');
  for (const secret of [ctx.box.credentials.huma.clientSecret, ctx.box.credentials.crona.activationCode]) {
    assert.ok(!stored.includes(secret), 'no secret in localStorage');
    assert.ok(!page.url().includes(secret));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('after deciding everything, a re-sync has nothing left to decide and nothing to write', async () => {
  const { page, problems, context } = await start();
  const sync = page.getByRole('button', { name: 'Synchronize users' });
  await sync.click();
  await step(page, 'Conflicts and missing values');
  for (const select of await page.locator('.bulk select').all()) {
    const label = await page.locator(`label[for="${await select.getAttribute('id')}"]`).textContent();
    await select.selectOption(label?.startsWith('Employment ID') ? 'crona' : 'huma');
  }
  // What no bulk choice can decide (the other side's value is invalid, say) is decided one by one.
  await page.getByLabel('Status').selectOption('open');
  for (;;) {
    for (const row of await page.locator('fieldset.diff').all()) {
      if (await row.getByRole('radio', { name: 'Leave as it is' }).isChecked()) {
        await row.locator('input[type=radio]:not(:disabled):not([value=leave])').first().check();
      }
    }
    const next = page.getByRole('button', { name: 'Next ›' }).first();
    if (!(await next.isVisible()) || (await next.isDisabled())) break;
    await next.click();
  }
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  for (const all of await page.getByLabel(/^Select all/).all()) if (await all.isEnabled()) await all.check();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(page);
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');

  await sync.click();
  await step(page, 'Conflicts and missing values');
  await page.getByLabel('Status').selectOption('open');
  await shot(page, 'resync-conflicts');
  assert.match(await page.getByText(/differences? shown of/).textContent() ?? '', /^0 differences shown of \d+\./, 'only blocked differences are left');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  assert.equal(await page.locator('.person:not(.not-creatable)').count(), 0, 'everyone creatable was created');
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  await page.getByRole('button', { name: 'Finish (nothing to write)' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('failed writes show in the result, the error log and the connection status', async () => {
  const { page, context } = await start();
  await control(ctx.box, 'faults', { rules: [{ system: 'crona', method: 'PATCH', kind: 'status', status: 500, count: 2 }] });
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(page);
  await step(page, 'Done, with errors');
  await control(ctx.box, 'faults', undefined, 'DELETE');
  await shot(page, 'failures-result');
  const rows = page.getByRole('table').getByRole('row');
  assert.equal(await rows.count(), 3, 'a header and two failed writes');
  assert.match(await rows.nth(1).textContent() ?? '', /Crona Lön.*500/);
  assert.match(await page.locator('.status-error').first().textContent() ?? '', /2 writes failed/);
  await page.getByRole('button', { name: '‹ Connections' }).click(); // the session is already released here
  await step(page, 'Connections');
  const card = page.getByRole('article').first();
  assert.match(await card.textContent() ?? '', /Last error.*2 writes failed/s);
  await card.getByText(/Recent runs and error log/).click();
  assert.equal(await card.locator('.runs .errors li').count(), 2);
  await shot(page, 'failures-status');
  await context.close();
});

test('a hostile name is shown as text and runs nothing', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const paired = huma.users.filter((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email));
  const given = '<img src=x onerror="window.__pwned=1">';
  const family = '"><script>window.__pwned=2</script>';
  await control(ctx.box, `huma/users/${paired[0].id}/edit`, { givenName: given, familyName: family });
  const { page, problems, context } = await openPage(ctx.browser);
  await page.goto(ctx.box.url + '/');
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByLabel('Search').fill('onerror');
  const shown = page.locator('fieldset.diff').first();
  assert.match(await shown.textContent() ?? '', /<img src=x onerror="window\.__pwned=1">/);
  await shot(page, 'hostile-name');
  // Through to the result, where the name is in the plan, the outcome and the remaining list.
  await page.getByLabel(/^Given name \(\d+\)$/).selectOption('huma');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(page);
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
  assert.equal(await page.locator('img[src=x], main script').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Crona listing that does not add up stops the sync before the preview, and nothing is written', async () => {
  const { page, problems, context } = await start();
  const before = await seq(page);
  await control(ctx.box, 'faults', { rules: [{ system: 'crona', kind: 'listing', mutate: 'short' }] });
  try {
    await page.getByRole('button', { name: 'Synchronize users' }).click();
    const alert = page.getByRole('alert').filter({ hasText: "Couldn't read both systems" });
    await alert.waitFor();
    assert.match(await alert.textContent() ?? '', /^Couldn't read both systems: Crona GET \/api\/v1\/employees \(page 1\) is incomplete: the page held \d+ of the \d+ records due \(0 of \d+ read before it\)\. Nothing is written on a partial register\./);
    await shot(page, 'incomplete-listing');
  } finally {
    await control(ctx.box, 'faults', undefined, 'DELETE');
  }
  assert.deepEqual(await writesSince(before), []);
  assert.equal(await page.getByRole('heading', { name: 'Conflicts and missing values' }).count(), 0, 'no preview on a partial register');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a name with control characters is shown escaped and never written to either system', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const paired = huma.users.filter((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email));
  await control(ctx.box, `huma/users/${paired[0].id}/edit`, { givenName: 'Eva\u001b[2J\r0 differences', familyName: 'Ek\u202egnidnuF' });
  const { page, problems, context } = await openPage(ctx.browser);
  await page.goto(ctx.box.url + '/');
  const before = await seq(page);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByText('Eva\\u001b[2J\\r0 differences', { exact: false }).first().waitFor();
  const blockers = await page.locator('.blockers').textContent() ?? '';
  assert.match(blockers, /invisible control character U\+001B/);
  assert.match(blockers, /invisible control character U\+202E/);
  await page.getByLabel(/^Given name \(\d+\)$/).selectOption('huma');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(page);
  const writes = JSON.stringify(await writesSince(before));
  assert.ok(writes.length > 2, 'the rest of the sync ran');
  assert.doesNotMatch(writes, /\\u001b|\\r|[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/, 'no control character reached Huma or Crona');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Presses Tab until the focused element matches; fails after 60 presses. @param {import('playwright-core').Page} page @param {(el: { tag: string, text: string, label: string, type: string }) => boolean} wanted */
async function tabTo(page, wanted) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = /** @type {HTMLElement} */ (document.activeElement);
      const label = a.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '' : '';
      return { tag: a.tagName.toLowerCase(), text: (a.textContent ?? '').trim(), label, type: a.getAttribute('type') ?? '' };
    });
    if (wanted(el)) return el;
  }
  throw new Error('never reached by Tab');
}

/** @param {import('playwright-core').Page} page */
const focusedHeading = (page) => page.evaluate(() => document.activeElement?.tagName === 'H2' ? document.activeElement.textContent : null);

test('the whole wizard works with the keyboard alone, and focus follows each step', async () => {
  const { page, problems, context } = await start();
  assert.equal(await focusedHeading(page), 'Connections');
  await tabTo(page, (e) => e.text === 'Synchronize users');
  await page.keyboard.press('Enter');
  await step(page, 'Conflicts and missing values');
  assert.equal(await focusedHeading(page), 'Conflicts and missing values');
  // Decide one difference with the arrow keys inside its radio group.
  const radio = await tabTo(page, (e) => e.type === 'radio' && e.label.startsWith('Huma wins'));
  assert.ok(radio);
  const before = await page.evaluate(() => /** @type {HTMLInputElement} */ (document.activeElement).value);
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => { const a = /** @type {HTMLInputElement} */ (document.activeElement); return { value: a.value, checked: a.checked, type: a.type }; });
  assert.equal(after.type, 'radio');
  assert.ok(after.checked && after.value !== before, `the arrow key chose another value (${before} → ${after.value})`);
  await tabTo(page, (e) => e.text === 'Next: create users');
  await page.keyboard.press('Enter');
  await step(page, 'Create users');
  assert.equal(await focusedHeading(page), 'Create users');
  await tabTo(page, (e) => e.label.startsWith('Select all'));
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => /** @type {HTMLInputElement} */ (document.activeElement).checked), true, 'Space selects all');
  await tabTo(page, (e) => e.text === 'Next: review');
  await page.keyboard.press('Enter');
  await step(page, 'Review the plan');
  assert.equal(await focusedHeading(page), 'Review the plan');
  if (await page.getByLabel(/I have checked it and approve it/).count()) {
    await tabTo(page, (e) => e.label.includes('approve it'));
    await page.keyboard.press('Space');
  }
  await tabTo(page, (e) => /^Run \d+ operations$/.test(e.text));
  await page.keyboard.press('Enter');
  await step(page, /^Done/);
  assert.match(await focusedHeading(page) ?? '', /^Done/);
  await tabTo(page, (e) => e.text === 'Back to connections');
  await page.keyboard.press('Enter');
  await step(page, 'Connections');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Synchronize users', 'focus returns to where the admin left');
  const outline = await page.evaluate(() => getComputedStyle(/** @type {Element} */ (document.activeElement)).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a wrong secret is refused at once with the reason, and secrets never reach the markup', async () => {
  const { page, problems, context } = await start();
  await page.getByRole('button', { name: 'Edit' }).click();
  await step(page, /^Edit /);
  const secret = page.getByLabel('Huma client secret');
  assert.equal(await secret.inputValue(), ctx.box.credentials.huma.clientSecret, 'the secret held in memory is offered');
  const markup = await page.content();
  assert.ok(!markup.includes(ctx.box.credentials.huma.clientSecret) && !markup.includes(ctx.box.credentials.crona.activationCode), 'no secret in the HTML');
  await secret.fill('00000000-0000-4000-8000-000000000000');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await alert.waitFor();
  assert.match(await alert.textContent() ?? '', /Huma did not accept the API client ID and secret/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'focus moves to the reason');
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await context.close();
});
