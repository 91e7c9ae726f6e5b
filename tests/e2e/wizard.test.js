// The integration page as payroll administrators use it, in Debian's Chromium, through the
// integration service against the sandbox: connect, the whole first sync, a re-sync, failures,
// hostile names, keyboard only, two administrators, one run at a time, a state saved meanwhile.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { SyncSession, cronaTransport, drive, fieldLabel, fields, humaTransport } from '../../pkg/index.js';
import { REASON_CODES } from '../../pkg/lib/words.js';
import { SANDBOX_CONNECTION, approveAndRun, control, setup, shot, signedIn, step, tableRows } from './support.js';

const ctx = setup({ people: 40 });

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/** Direct transports to the sandbox, for what the tests compute on their own (read only). */
function sandboxTransports() {
  const { humaUrl, cronaUrl, credentials } = ctx.sandbox;
  return {
    huma: humaTransport({ baseUrl: humaUrl, clientId: credentials.huma.clientId, clientSecret: credentials.huma.clientSecret }),
    crona: cronaTransport({ baseUrl: cronaUrl, activationCode: credentials.crona.activationCode }),
  };
}

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
  const s = new SyncSession({ today: today(), now: new Date().toISOString(), state });
  await drive(s, sandboxTransports());
  return s.plan(decisions);
}

/** @param {import('playwright-core').Page} page */
async function seq(page) {
  return (await (await page.request.get(`${ctx.box.url}/_sandbox/inspect?data=false`)).json()).seq;
}

/** Waits until `check` holds (the service hears about a finish a moment after the page moves on). @param {() => boolean} check @param {string} what */
async function eventually(check, what) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(check(), what);
}

/** A freshly reset sandbox, the sandbox connection with no state, and anna's page on the connections list. */
async function start() {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  return signedIn(ctx, 'anna');
}

/** The personal data of everyone in the sandbox: work and private e-mails, bank accounts, street addresses. */
async function personalData() {
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const values = [
    ...huma.users.flatMap((/** @type {any} */ u) => [u.email, u.privateEmail, u.bankAccount?.number, u.homeAddress?.line1]),
    ...crona.employees.flatMap((/** @type {any} */ e) => [e.EpostArb, e.EpostPriv, e.UtbetKontoNr, e.Adress1]),
  ];
  return [...new Set(values.filter((v) => typeof v === 'string' && v.length >= 5))];
}

/** What the page keeps in the browser's storage. @param {import('playwright-core').Page} page */
const browserStorage = (page) => page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));

/** Fills the connection form with the sandbox's URLs and credentials. @param {import('playwright-core').Page} page @param {string} name */
async function fillConnection(page, name) {
  const { humaUrl, cronaUrl, credentials } = ctx.sandbox;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Huma API base URL').fill(humaUrl);
  await page.getByLabel('Huma client ID').fill(credentials.huma.clientId);
  await page.getByLabel('Huma client secret').fill(credentials.huma.clientSecret);
  await page.getByLabel('Crona Lön API base URL').fill(cronaUrl);
  await page.getByLabel('Crona activation code (Aktiveringskod)').fill(credentials.crona.activationCode);
}

test('connect, then the whole first sync: the sandbox receives exactly the chosen writes', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  for (const c of ctx.service.store.connections()) ctx.service.store.removeConnection(c.id);
  const { page, problems, context } = await signedIn(ctx, 'anna');
  await page.getByText('No connection yet.', { exact: false }).waitFor();
  await shot(page, 'wizard-0-connections');

  // Connect as a new administrator would, from the form.
  await page.getByRole('button', { name: 'Add connection' }).click();
  await step(page, 'Add a connection');
  await fillConnection(page, 'Exempel Bygg AB');
  await page.getByRole('button', { name: 'Load groups from Huma' }).click();
  await page.getByText(/\d+ groups loaded\./).waitFor();
  await page.getByRole('button', { name: 'Verify and save' }).click();
  assert.match(await page.getByText('Confirm that you may connect these systems.').textContent() ?? '', /Confirm/, 'the authority checkbox is required');
  await page.getByLabel(/I have the authority/).check();
  await shot(page, 'wizard-1-connect');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await step(page, 'Connections');
  const card = page.getByRole('article', { name: 'Exempel Bygg AB' });
  const company = ctx.service.store.connections()[0].settings.crona.companyName;
  assert.ok(company, 'the service recorded the Crona company it reached');
  assert.match(await card.textContent() ?? '', new RegExp(`Crona Lön${company}`), 'the card shows it');
  const id = ctx.service.store.connections()[0].id;
  assert.equal(await page.evaluate(() => document.activeElement?.id), `sync-${id}`, 'focus on the new connection\'s first action');

  // A second connection to the same Crona company is refused, with the reason, and no way to confirm it.
  await page.getByRole('button', { name: 'Add connection' }).click();
  await step(page, 'Add a connection');
  await fillConnection(page, 'Exempel Bygg again');
  await page.getByLabel(/I have the authority/).check();
  await page.getByRole('button', { name: 'Verify and save' }).click();
  const clash = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await clash.waitFor();
  assert.match(await clash.textContent() ?? '', /^Not saved: The connection "Exempel Bygg AB" already reaches Crona company .+: two connections would both write its employees\./);
  assert.equal(await page.getByLabel('These connections are meant to overlap').isVisible(), false, 'a shared Crona company can\'t be confirmed');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await step(page, 'Connections');
  assert.equal(ctx.service.store.connections().length, 1);

  // 1. Fetch.
  const before = await seq(page);
  await card.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await shot(page, 'wizard-2-conflicts');

  // 2. A bulk choice for phones, and one suggestion overruled by hand.
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');
  const suggested = page.locator('tr.diff', { has: page.locator('.badge-suggested') }).filter({ has: page.getByRole('radio', { name: 'Leave as it is' }) }).first();
  const leave = suggested.getByRole('radio', { name: 'Leave as it is' });
  const choiceId = (await leave.getAttribute('name'))?.replace(/^choice-/, '');
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
    await drive(s, sandboxTransports());
    return s.preview();
  })();
  const createInCrona = preview.onlyInHuma.filter((o) => o.creatable).map((o) => /** @type {string} */ (o.person.humaId));
  assert.ok(createInCrona.length > 0 && chosen > 0);
  const plan = await expectedPlan(null, { choices: { [/** @type {string} */ (choiceId)]: 'leave' }, fieldDefaults: { phone: 'huma' }, createInCrona, createInHuma: [] });
  assert.deepEqual(pageOps.slice(0, 25), plan.operations.slice(0, 25).map((o) => o.description));
  assert.ok(plan.operations.some((o) => o.fields.includes('phone')) && plan.operations.some((o) => o.kind === 'createCrona'));
  const overruled = preview.differences.find((d) => d.id === choiceId);
  assert.ok(!plan.operations.some((o) => o.fields.includes(String(overruled?.field)) && o.person.humaId === overruled?.person.humaId), 'the overruled suggestion is not written');

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
  assert.match(await card.getByText(/^Active$/).textContent() ?? '', /Active/);
  assert.match(await card.textContent() ?? '', /Active since\d+ \w+ \d{4}/, 'since when');
  const runs = ctx.service.store.runs(id);
  assert.deepEqual(runs.map((r) => [r.kind, r.startedBy, r.outcome]), [['sync', 'anna', 'done']], 'the service recorded the run and who started it');
  assert.equal(ctx.service.store.state(id).version, 1, 'and saved the next state');
  assert.equal(ctx.service.store.lease(id), null, 'and the connection is free again');

  // No secret and no personal data in the browser's storage, and no secret in the address bar or the markup.
  const stored = await browserStorage(page);
  for (const secret of [ctx.sandbox.credentials.huma.clientSecret, ctx.sandbox.credentials.crona.activationCode]) {
    assert.ok(!stored.includes(secret), 'no secret in storage');
    assert.ok(!page.url().includes(secret));
    assert.ok(!(await page.content()).includes(secret));
  }
  for (const value of await personalData()) assert.ok(!stored.includes(value), `no personal data in storage (${value})`);
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  await context.close();
});

test('every row of the conflicts step shows what the core\'s plan does with its difference, for each bulk choice', async () => {
  const { page, problems, context } = await start();
  await page.getByRole('article', { name: SANDBOX_CONNECTION }).getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  // The core's answer, from the same sandbox: one session, planned again for each decision.
  const core = new SyncSession({ today: today(), now: new Date().toISOString(), state: null });
  await drive(core, sandboxTransports());
  const differences = core.preview().differences;

  /** The rows on screen: difference id → [checked choice, note]. */
  const rows = async () => Object.fromEntries(await page.locator('tr.diff').evaluateAll((sets) => sets.map((set) => {
    const checked = /** @type {HTMLInputElement | null} */ (set.querySelector('input[type=radio]:checked'));
    const name = /** @type {HTMLInputElement} */ (set.querySelector('input[type=radio]')).name.replace(/^choice-/, '');
    return [name, [checked?.value ?? null, set.querySelector('.note')?.textContent ?? '']];
  })));
  /** @type {Record<string, string>} */
  const fieldDefaults = {};
  const notes = new Set();
  const fields = [...new Set(differences.map((d) => d.field))];
  assert.ok(fields.length >= 3, `the sandbox has differences in several fields (${fields})`);
  for (const field of fields) {
    const label = fieldLabel(field).replace(/[()]/g, '\\$&');
    const bulk = page.locator('.bulk').getByLabel(new RegExp(`^${label} \\(\\d+\\)$`));
    await page.getByLabel('Field', { exact: true }).selectOption(field);
    for (const choice of ['huma', 'crona', 'leave', '']) {
      await bulk.selectOption(choice);
      if (choice) fieldDefaults[field] = choice;
      else delete fieldDefaults[field];
      const plan = core.plan({ fieldDefaults });
      const expected = Object.fromEntries(plan.resolutions
        .filter((r) => differences.find((d) => d.id === r.differenceId)?.field === field)
        .map((r) => [r.differenceId, [r.choice, r.note?.message ?? '']]));
      for (const r of plan.resolutions) if (r.note) notes.add(r.note.code);
      const shown = await rows();
      assert.ok(Object.keys(shown).length > 0, `rows for ${field}`);
      for (const [id, row] of Object.entries(shown)) assert.deepEqual(row, expected[id], `${field}, bulk "${choice || 'one by one'}": ${id}`);
      assert.equal(Object.keys(shown).length, Math.min(30, Object.keys(expected).length), `every difference of ${field} on the first page`);
    }
  }
  // The bulk choices met the never-clear rule, so the rows showed the core's reasons, not only choices.
  assert.ok(notes.has('fills_gap') || notes.has('would_clear'), `a bulk choice met the never-clear rule (${[...notes]})`);

  // An explicit choice that clears is carried out, and the row says so in the core's words.
  const clearing = differences.find((d) => d.kind === 'missingInCrona' && d.allowed.includes('crona'));
  assert.ok(clearing, 'a value missing in Crona that Crona may win');
  await page.getByLabel('Field', { exact: true }).selectOption(clearing.field);
  await page.getByLabel('Search').fill(clearing.person.anstNr ?? clearing.person.email ?? clearing.person.name);
  const radio = page.locator(`input[name="choice-${clearing.id}"][value=crona]`);
  await radio.check();
  const said = core.plan({ fieldDefaults, choices: { [clearing.id]: 'crona' } }).resolutions.find((r) => r.differenceId === clearing.id);
  assert.equal(said?.note?.code, 'clears_by_choice');
  await page.locator('tr.diff', { has: radio }).locator('.note').getByText(said?.note?.message ?? '-').waitFor();
  assert.deepEqual(problems, []);
  core.free();
  await context.close();
});

test('the connection form shows every field both systems refused at once, and why a plain-http address is refused', async () => {
  const { page, problems, context } = await start();
  await page.getByRole('button', { name: 'Add connection' }).click();
  await step(page, 'Add a connection');
  await fillConnection(page, 'Fel uppgifter');
  await page.getByLabel('Huma client secret').fill('wrong-secret');
  await page.getByLabel('Crona activation code (Aktiveringskod)').fill('AAAA-BBBB-CCCC');
  await page.getByLabel(/I have the authority/).check();
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
  /** The error shown with a field, through its aria-describedby. @param {string} label */
  const errorOf = async (label) => {
    const input = page.getByLabel(label, { exact: true });
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
    const ids = (await input.getAttribute('aria-describedby') ?? '').split(' ');
    return page.locator(`[id="${ids[ids.length - 1]}"]`).textContent();
  };
  assert.match(await errorOf('Huma client secret') ?? '', /.+/, 'Huma\'s refusal is on its secret');
  assert.match(await errorOf('Crona activation code (Aktiveringskod)') ?? '', /.+/, 'Crona\'s refusal is on its code, at the same time');
  assert.match(await page.getByRole('alert').filter({ hasText: 'Not saved' }).textContent() ?? '', /^Not saved: Neither system accepted the connection\. Huma: .+ Crona Lön: .+/);

  await page.getByLabel('Huma client secret').fill(ctx.sandbox.credentials.huma.clientSecret);
  await page.getByLabel('Crona Lön API base URL').fill('http://crona.example');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await page.getByRole('alert').filter({ hasText: 'https://' }).waitFor();
  assert.match(await errorOf('Crona Lön API base URL') ?? '', /must start with https:\/\/ \(got http:\/\/crona\.example\): the credentials travel with every request/);
  assert.equal(await page.getByLabel('Huma client secret', { exact: true }).getAttribute('aria-invalid'), 'false', 'Huma was accepted this time');
  assert.equal(ctx.service.store.connections().length, 1, 'nothing saved');
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  await context.close();
});

test('a confirmable overlap is sent again only with the administrator\'s confirmation', async () => {
  const { page, context } = await start();
  // The sandbox has one Huma organisation and one Crona company, so the service's answer for
  // two connections to overlapping Huma groups of one organisation is played here.
  /** @type {any[]} */
  const sent = [];
  await page.route('**/api/connections', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const body = route.request().postDataJSON();
    sent.push(body);
    if (body.confirmOverlap !== true) {
      return route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'connection_collision', message: 'The connection "Sandbox (sample data)" already covers everyone in this Huma organisation: two connections would both write the same person. Give each connection its own Huma company, location or team. If the overlap is meant, confirm it.', details: { with: SANDBOX_CONNECTION, confirmable: true } } }) });
    }
    const { connection } = await (await fetch(`${ctx.url}/api/connections/${ctx.connectionId}`, { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
    return route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ connection }) });
  });
  await page.getByRole('button', { name: 'Add connection' }).click();
  await step(page, 'Add a connection');
  await fillConnection(page, 'Exempel Bygg, Stockholm');
  await page.getByLabel(/I have the authority/).check();
  const overlap = page.getByLabel('These connections are meant to overlap');
  assert.equal(await overlap.isVisible(), false, 'no confirmation offered before the service asks for one');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await alert.waitFor();
  assert.match(await alert.textContent() ?? '', /already covers everyone in this Huma organisation.*tick "These connections are meant to overlap" and save again\.$/);
  await shot(page, 'connect-overlap');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await alert.waitFor();
  assert.equal(sent.length, 2);
  assert.equal(sent[1].confirmOverlap, undefined, 'not confirmed until ticked');
  await overlap.check();
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await step(page, 'Connections');
  assert.equal(sent.length, 3);
  assert.equal(sent[2].confirmOverlap, true);
  assert.deepEqual(sent[2].huma, { baseUrl: ctx.sandbox.humaUrl, clientId: ctx.sandbox.credentials.huma.clientId, clientSecret: ctx.sandbox.credentials.huma.clientSecret }, 'the secrets are sent on save');
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
    for (const row of await page.locator('tr.diff').all()) {
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
  const rows = page.getByRole('table', { name: 'Writes that failed', exact: true }).getByRole('row');
  assert.equal(await rows.count(), 3, 'a header and two failed writes');
  assert.match(await rows.nth(1).textContent() ?? '', /Crona Lön.*500/);
  assert.match(await page.locator('.status-error').first().textContent() ?? '', /2 writes failed/);
  const messages = await page.getByRole('table', { name: 'Writes that failed', exact: true }).locator('tbody td:last-child').allTextContents();
  await page.getByRole('button', { name: '‹ Connections' }).click(); // the run is already finished here
  await step(page, 'Connections');
  const card = page.getByRole('article').first();
  const lastError = await card.locator('dd.error-text').textContent() ?? '';
  assert.ok(messages.some((m) => lastError.endsWith(`: ${m}`)), `the last error is one of the failed writes (${lastError})`);
  await card.getByText(/Recent runs and error log/).click();
  const run = card.locator('.runs > li');
  assert.equal(await run.count(), 1);
  assert.match(await run.locator('p').textContent() ?? '', /· Synchronize users · started by anna Done, with errors: .*2 writes failed/);
  await run.locator('.errors li').first().waitFor();
  const logged = await run.locator('.errors li').allTextContents();
  assert.equal(logged.length, 2, 'the two failed writes are in the run\'s error log');
  for (const line of logged) assert.match(line, /: Crona Lön 500 /);
  await shot(page, 'failures-status');
  await context.close();
});

test('no field key or reason code reaches the page or the text report, through a whole sync with failures', async () => {
  const { page, context } = await start();
  await control(ctx.box, 'faults', { rules: [{ system: 'crona', method: 'PATCH', kind: 'status', status: 500, count: 2 }] });
  // The codes a person must never read: the core's camelCase and snake_case keys and reasons.
  const codes = [...REASON_CODES, ...fields().map((f) => f.key), 'homeAddress', 'all'].filter((c) => /[A-Z_]/.test(c));
  assert.ok(codes.includes('leftByChoice') && codes.includes('would_clear') && codes.includes('bankAccount'));
  const leaked = (/** @type {string} */ text) => codes.filter((c) => new RegExp(`\\b${c}\\b`).test(text));
  const scan = async (/** @type {string} */ where) => assert.deepEqual(leaked(await page.locator('body').innerText()), [], where);

  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  // Bulk choices that meet the never-clear rule and a choice that can't be carried out, so their reasons show.
  for (const select of await page.locator('.bulk select').all()) await select.selectOption('crona');
  await page.getByText(/^With these choices: /).waitFor();
  await scan('conflicts');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  await scan('create');
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  for (const details of await page.locator('details').all()) await details.evaluate((d) => { /** @type {HTMLDetailsElement} */ (d).open = true; });
  await scan('review');
  await approveAndRun(page);
  await step(page, 'Done, with errors');
  await control(ctx.box, 'faults', undefined, 'DELETE');
  await scan('result');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (text)' }).click()]);
  const text = await readFile(/** @type {string} */ (await download.path()), 'utf8');
  assert.match(text, /failed: .+ in Crona Lön \(.+\): 500/, 'the text report names the system and fields in words');
  assert.deepEqual(leaked(text), [], 'text report');
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  await page.getByText(/Recent runs and error log/).first().click();
  await page.locator('.runs .errors li').first().waitFor();
  await scan('connections, with the error log open');
  await context.close();
});

test('a hostile name is shown as text and runs nothing', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const paired = huma.users.filter((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email));
  const given = '<img src=x onerror="window.__pwned=1">';
  const family = '"><script>window.__pwned=2</script>';
  await control(ctx.box, `huma/users/${paired[0].id}/edit`, { givenName: given, familyName: family });
  const { page, problems, context } = await signedIn(ctx, 'anna');
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByLabel('Search').fill('onerror');
  const shown = page.locator('tr.diff').first();
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
  await eventually(() => ctx.service.store.lease(ctx.connectionId) === null, 'the stopped run gives the connection back');
  const [run] = ctx.service.store.runs(ctx.connectionId);
  assert.equal(run.outcome, 'stopped');
  assert.match(run.summary ?? '', /^Couldn't read both systems: Crona GET \/api\/v1\/employees \(page 1\) is incomplete/);
  assert.equal(ctx.service.store.errors(ctx.connectionId)[0].code, 'incomplete_listing', 'the error log says why');
  assert.equal(ctx.service.store.state(ctx.connectionId).version, 0, 'no state saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a name with control characters is shown escaped and never written to either system', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const paired = huma.users.filter((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email));
  await control(ctx.box, `huma/users/${paired[0].id}/edit`, { givenName: 'Eva\u001b[2J\r0 differences', familyName: 'Ek\u202egnidnuF' });
  const { page, problems, context } = await signedIn(ctx, 'anna');
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

test('editing: the service keeps the secrets, a wrong new one is refused at once with the reason, empty fields keep the stored ones', async () => {
  const { page, problems, context } = await start();
  const { clientSecret } = ctx.sandbox.credentials.huma;
  const stored = ctx.service.store.secret(ctx.connectionId, 'huma.clientSecret');
  assert.equal(stored, clientSecret);
  await page.getByRole('button', { name: 'Edit' }).click();
  await step(page, `Edit ${SANDBOX_CONNECTION}`);
  const secret = page.getByLabel('Huma client secret');
  assert.equal(await secret.inputValue(), '', 'the page has no secret to offer');
  assert.equal(await page.getByLabel('Crona activation code (Aktiveringskod)').inputValue(), '');
  assert.match(await page.locator('.hint').filter({ hasText: 'Sent once' }).first().textContent() ?? '', /^Leave empty to keep the stored one\. /);
  const markup = await page.content();
  assert.ok(!markup.includes(clientSecret) && !markup.includes(ctx.sandbox.credentials.crona.activationCode), 'no secret in the HTML');

  // Groups load with the stored secret: the page sends only the connection's id.
  const groupsRequest = page.waitForRequest('**/api/huma-groups');
  await page.getByRole('button', { name: 'Load groups from Huma' }).click();
  assert.deepEqual((await groupsRequest).postDataJSON(), { connectionId: ctx.connectionId });
  await page.getByText(/\d+ groups loaded\./).waitFor();

  await secret.fill('00000000-0000-4000-8000-000000000000');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await alert.waitFor();
  assert.match(await alert.textContent() ?? '', /Huma did not accept the API client ID and secret/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'focus moves to the reason');
  assert.equal(ctx.service.store.secret(ctx.connectionId, 'huma.clientSecret'), clientSecret, 'the refused secret replaced nothing');

  await secret.fill('');
  const saved = page.waitForRequest((r) => r.url().endsWith(`/api/connections/${ctx.connectionId}`) && r.method() === 'PUT');
  await page.getByRole('button', { name: 'Verify and save' }).click();
  await step(page, 'Connections');
  const body = (await saved).postDataJSON();
  assert.equal('clientSecret' in body.huma || 'activationCode' in body.crona, false, 'empty secret fields are left out');
  assert.equal(ctx.service.store.secret(ctx.connectionId, 'huma.clientSecret'), clientSecret, 'and the stored secret is kept');
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  await context.close();
});

/**
 * Someone paired in both systems whom nothing planted or drifted, and whose given name both
 * systems agree on, and who isn't in `exclude`.
 * @param {string[]} exclude  Huma ids
 */
async function agreedPerson(exclude) {
  const { huma, crona, planted, drifted } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const special = new Set([...planted, ...drifted].flatMap((/** @type {any} */ c) => [c.humaId, ...(c.humaIds ?? [])]));
  const person = huma.users.find((/** @type {any} */ u) => !special.has(u.id) && !exclude.includes(u.id) && u.givenName
    && crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email && e.FoNamn === u.givenName));
  assert.ok(person, 'the sandbox has such a person');
  const anstNr = crona.employees.find((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === person.email).AnstNr;
  return /** @type {{ id: string, email: string, givenName: string, familyName: string, anstNr: string }} */ ({ ...person, anstNr });
}

test('a second administrator sees the first sync, its run and error log, and the next sync says what changed since', async () => {
  const a = await start();
  await control(ctx.box, 'faults', { rules: [{ system: 'crona', method: 'PATCH', kind: 'status', status: 500, count: 1 }] });
  try {
    await a.page.getByRole('button', { name: 'Synchronize users' }).click();
    await step(a.page, 'Conflicts and missing values');
    await a.page.getByRole('button', { name: 'Next: create users' }).click();
    await a.page.getByRole('button', { name: 'Next: review' }).click();
    await approveAndRun(a.page);
    await step(a.page, 'Done, with errors');
  } finally {
    await control(ctx.box, 'faults', undefined, 'DELETE');
  }
  const failedWrite = /** @type {string} */ (await a.page.getByRole('table', { name: 'Writes that failed', exact: true }).locator('tbody td:last-child').first().textContent());

  // Between the syncs, HR changes one person's given name in Huma, which both systems agreed on.
  const failedIds = ctx.service.store.errors(ctx.connectionId).map((/** @type {any} */ e) => e.person?.humaId).filter(Boolean);
  const person = await agreedPerson(failedIds);
  await control(ctx.box, `huma/users/${person.id}/edit`, { givenName: 'Ingegerd' });

  // Bertil, in a browser of his own, sees what anna's sync left.
  const b = await signedIn(ctx, 'bertil');
  const card = b.page.getByRole('article', { name: SANDBOX_CONNECTION });
  assert.match(await card.getByText(/^Active$/).textContent() ?? '', /Active/);
  assert.match(await card.textContent() ?? '', /Last sync\d+ \w+ \d{4}.*: \d+ created, \d+ updated, 1 failed/s);
  assert.ok((await card.locator('dd.error-text').textContent() ?? '').endsWith(`: ${failedWrite}`), 'the last error is the failed write');
  await card.getByText(/Recent runs and error log/).click();
  const runs = card.locator('.runs > li');
  assert.equal(await runs.count(), 1);
  assert.match(await runs.first().locator('p').textContent() ?? '', /· Synchronize users · started by anna Done, with errors: Synchronisation of .*1 write failed/);
  await runs.first().locator('.errors li').first().waitFor();
  const logged = await runs.first().locator('.errors li').allTextContents();
  assert.equal(logged.length, 1);
  assert.match(logged[0], new RegExp(`: Crona Lön 500 .*${failedWrite.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await shot(b.page, 'second-admin-status');

  // His sync remembers anna's: the one change is suggested from the side that changed.
  await card.getByRole('button', { name: 'Synchronize users' }).click();
  await step(b.page, 'Conflicts and missing values');
  await b.page.getByLabel('Search').fill(person.email);
  const changed = b.page.locator('tr.diff', { has: b.page.getByText('Ingegerd', { exact: true }) });
  assert.equal(await changed.count(), 1);
  assert.match(await changed.textContent() ?? '', /^.*Given name.*Conflict/);
  assert.equal(await changed.locator('.changed').textContent(), 'Changed in Huma since the last sync');
  assert.equal(await changed.getByRole('radio', { name: /^Huma wins/ }).isChecked(), true, 'the suggestion is pre-selected');
  assert.equal(await changed.locator('.badge-suggested').count(), 1);
  assert.match(await changed.getByRole('radio', { name: /^Huma wins/ }).locator('xpath=following-sibling::label').textContent() ?? '', /Suggested$/);
  await shot(b.page, 'second-admin-changed');
  await b.page.getByRole('button', { name: 'Next: create users' }).click();
  await b.page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(b.page);
  await b.page.getByRole('button', { name: 'Back to connections' }).click();
  await step(b.page, 'Connections');
  await card.getByText(/Recent runs and error log/).click();
  assert.match(await runs.first().locator('p').textContent() ?? '', /· Synchronize users · started by bertil /, 'newest first, with who started it');
  assert.match(await runs.nth(1).locator('p').textContent() ?? '', /· Synchronize users · started by anna /);

  // Neither browser kept anyone's e-mail, bank account or address.
  const personal = await personalData();
  assert.ok(personal.length > 100, 'the sandbox has personal data to look for');
  for (const { page } of [a, b]) {
    const stored = await browserStorage(page);
    for (const value of personal) assert.ok(!stored.includes(value), `no personal data in the browser's storage (${value})`);
  }
  // The injected 500 reaches the page through the relay as it is, and Chromium logs it.
  assert.deepEqual([...a.problems, ...b.problems].filter((p) => !/status of 500/.test(p)), []);
  await a.context.close();
  await b.context.close();
});

test('one run at a time: while anna is in the wizard, bertil sees who runs and can\'t start one', async () => {
  const a = await start();
  const b = await signedIn(ctx, 'bertil'); // his list is from before anna starts
  await a.page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(a.page, 'Conflicts and missing values');
  const lease = ctx.service.store.lease(ctx.connectionId);
  assert.equal(lease?.holder, 'anna (page)');

  // The service refuses his start and says who runs.
  await b.page.getByRole('button', { name: 'Synchronize users' }).click();
  const refused = b.page.getByRole('alert').filter({ hasText: 'Couldn\'t start' });
  await refused.waitFor();
  assert.match(await refused.textContent() ?? '', /^Couldn't start: anna \(page\) is running on this connection \(until \d+ \w+ \d{4}, \d\d:\d\d at the latest\)\. Wait for it to finish, then try again\.$/);
  await b.page.getByRole('button', { name: 'Back to connections' }).click();
  await step(b.page, 'Connections');
  const card = b.page.getByRole('article', { name: SANDBOX_CONNECTION });
  assert.match(await card.locator('.lease').textContent() ?? '', /^Running: anna \(page\), until \d+ \w+ \d{4}, \d\d:\d\d at the latest$/);
  assert.equal(await card.getByRole('button', { name: 'Synchronize users' }).isDisabled(), true);
  assert.equal(await card.getByRole('button', { name: 'Push changes now' }).isDisabled(), true);
  await shot(b.page, 'lease-held');
  assert.equal(ctx.service.store.lease(ctx.connectionId)?.holder, 'anna (page)', 'his refused start took nothing from anna');

  // Anna leaves the wizard: the connection is free, and her run says she cancelled.
  await a.page.getByRole('button', { name: '‹ Connections' }).click();
  await step(a.page, 'Connections');
  assert.equal(ctx.service.store.lease(ctx.connectionId), null);
  assert.equal(await a.page.getByRole('article', { name: SANDBOX_CONNECTION }).locator('.lease').count(), 0, 'her list doesn\'t show her own finished run as running');
  await b.page.reload();
  await step(b.page, 'Connections');
  assert.equal(await card.locator('.lease').count(), 0);
  assert.equal(await card.getByRole('button', { name: 'Synchronize users' }).isDisabled(), false);

  // Closing the page mid-wizard gives the connection back too.
  await b.page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(b.page, 'Conflicts and missing values');
  assert.equal(ctx.service.store.lease(ctx.connectionId)?.holder, 'bertil (page)');
  await b.page.goto('about:blank');
  await eventually(() => ctx.service.store.lease(ctx.connectionId) === null, 'the page that went away finished its run');
  assert.deepEqual(ctx.service.store.runs(ctx.connectionId).map((r) => [r.startedBy, r.outcome, r.summary]), [
    ['bertil', 'cancelled', 'Left before anything was written (the page was closed, or its administrator signed out).'],
    ['anna', 'cancelled', 'Cancelled before anything was written.'],
  ]);

  // Signing out mid-wizard gives it back as well.
  await a.page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(a.page, 'Conflicts and missing values');
  assert.equal(ctx.service.store.lease(ctx.connectionId)?.holder, 'anna (page)');
  await a.page.getByRole('button', { name: 'Sign out' }).click();
  await step(a.page, 'Sign in');
  assert.equal(ctx.service.store.lease(ctx.connectionId), null, 'the run ended before the session did');
  assert.equal(ctx.service.store.runs(ctx.connectionId)[0].outcome, 'cancelled');
  assert.deepEqual([...a.problems, ...b.problems].filter((p) => !/status of 409/.test(p)), []);
  await a.context.close();
  await b.context.close();
});

test('a state saved meanwhile by another run: the writes stand, and the page says the state was not saved and what to do', async () => {
  const { page, problems, context } = await start();
  const before = await seq(page);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  // As if this run's lease had expired and another run had saved a state meanwhile.
  const store = ctx.service.store;
  assert.equal(store.state(ctx.connectionId).version, 0);
  store.saveState(ctx.connectionId, { connection: {} }, 0);
  await approveAndRun(page);
  const alert = page.getByRole('alert').filter({ hasText: 'wasn\'t saved' });
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'The writes are done and this run is recorded, but its sync state wasn\'t saved: another run saved a newer state for this connection while this one was working. Run "Synchronize users" again before anything else: it reads both systems afresh, and its suggestions come from the newer state.');
  await shot(page, 'state-conflict');
  assert.ok((await writesSince(before)).length > 0, 'the writes were made');
  assert.deepEqual(store.state(ctx.connectionId), { ...store.state(ctx.connectionId), version: 1, state: { connection: {} } }, 'the newer state stands');
  const [run] = store.runs(ctx.connectionId);
  assert.equal(run.outcome, 'done', 'the run is recorded');
  assert.equal(store.errors(ctx.connectionId)[0].code, 'state_conflict', 'with the reason in the error log');
  assert.equal(store.lease(ctx.connectionId), null, 'and the lease is back');
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  await context.close();
});

test('a lease lost while the wizard is open: the page says so at once and writes nothing', async () => {
  const { page, problems, context } = await start();
  const before = await seq(page);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  // As if this page had slept past its lease and someone else had started a run meanwhile.
  const store = ctx.service.store;
  store.db.prepare('UPDATE leases SET expires_at = ? WHERE connection_id = ?').run(new Date(Date.now() - 1000).toISOString(), ctx.connectionId);
  const theirs = store.takeLease(ctx.connectionId, 'bertil (page)', 120_000);
  try {
    // The page renews every renewMs (30 s): the next renewal is refused.
    const lost = page.getByRole('alert').filter({ hasText: 'no longer holds the connection' });
    await lost.waitFor({ timeout: 60_000 });
    assert.match(await lost.textContent() ?? '', /^This run no longer holds the connection: its lease expired and someone else started a run\./);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'focus moves to it');
    await shot(page, 'lease-lost');
    await page.getByRole('button', { name: 'Next: create users' }).click();
    await page.getByRole('button', { name: 'Next: review' }).click();
    await step(page, 'Review the plan');
    const approve = page.getByLabel(/I have checked it and approve it/);
    if (await approve.count()) await approve.check();
    await page.getByRole('button', { name: /^Run \d+ operations$/ }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Nothing was written' });
    await refused.waitFor();
    assert.deepEqual(await writesSince(before), [], 'nothing reached either system');
    const [run] = store.runs(ctx.connectionId);
    assert.deepEqual([run.startedBy, run.outcome], ['anna', 'stopped'], 'her run is recorded as stopped');
    assert.equal(store.errors(ctx.connectionId)[0].code, 'lease_lost');
    assert.equal(store.lease(ctx.connectionId)?.holder, 'bertil (page)', 'and the other run keeps the connection');
  } finally {
    store.releaseLease(ctx.connectionId, theirs);
  }
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  await context.close();
});

test('push changes now: what changed in Huma reaches Crona through the service, recorded as a push', async () => {
  const { page, problems, context } = await start();
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await approveAndRun(page);
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');

  // HR changes one paired person's given name in Huma; the push sends it, and only it.
  const person = await agreedPerson([]);
  await control(ctx.box, `huma/users/${person.id}/edit`, { givenName: 'Ingegerd' });
  const before = await seq(page);
  // First a look, then cancel: nothing is written until the administrator sends it.
  await page.getByRole('button', { name: 'Push changes now' }).click();
  await step(page, 'Push changes now');
  await page.getByRole('heading', { name: 'What would be sent' }).waitFor();
  const preview = await tableRows(page, 'What would be sent');
  assert.deepEqual(preview.map((r) => [r.System, r.Field, r['Before → after']]), [['Crona Lön', 'Given name (FoNamn)', `${person.givenName} → Ingegerd`]]);
  assert.match(preview[0].Person, new RegExp(`^Ingegerd ${person.familyName}.*AnstNr ${person.anstNr}`));
  assert.deepEqual(await writesSince(before), [], 'nothing written while the preview is shown');
  await page.getByRole('button', { name: 'Cancel: send nothing' }).click();
  await page.getByText('Cancelled: nothing was written.').waitFor();
  assert.deepEqual(await writesSince(before), [], 'nothing written after cancelling');
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  await eventually(() => ctx.service.store.lease(ctx.connectionId) === null, 'the cancelled push gave the connection back');

  await page.getByRole('button', { name: 'Push changes now' }).click();
  await step(page, 'Push changes now');
  await page.getByRole('button', { name: /^Send 1 change to Crona Lön$/ }).click();
  const summary = page.locator('.status-ok');
  await summary.waitFor();
  const sent = await tableRows(page, 'Sent');
  assert.deepEqual(sent.map((r) => [r.System, r.Field, r['Before → after'], r.Outcome]), [['Crona Lön', 'Given name (FoNamn)', `${person.givenName} → Ingegerd`, 'done']], 'the result lists who and what');
  assert.match(await page.getByText(/^Sends what changed in Huma for the \d+ paired people/).textContent() ?? '', /\d+ paired people/);
  assert.match(await summary.textContent() ?? '', /1 record updated/);
  await shot(page, 'push-result');
  const writes = await writesSince(before);
  assert.equal(writes.length, 1);
  assert.equal(writes[0].method, 'PATCH');
  assert.match(writes[0].path, /^\/api\/v1\/employees\//);
  assert.equal(writes[0].body.FoNamn, 'Ingegerd');
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  const card = page.getByRole('article', { name: SANDBOX_CONNECTION });
  assert.match(await card.textContent() ?? '', /Last push\d+ \w+ \d{4}, \d\d:\d\d: 0 created, 1 updated/);
  assert.deepEqual(ctx.service.store.runs(ctx.connectionId).map((r) => [r.kind, r.startedBy, r.outcome]), [['push', 'anna', 'done'], ['push', 'anna', 'cancelled'], ['sync', 'anna', 'done']]);
  assert.equal(ctx.service.store.state(ctx.connectionId).version, 2, 'the push saved its state over the sync\'s');
  assert.equal(ctx.service.store.lease(ctx.connectionId), null);
  assert.deepEqual(problems, []);
  await context.close();
});
