// The conflicts step as a table: on a phone every difference is a stacked block with no sideways
// scrolling and the step is far shorter than the old column of boxes; "By field" rows name the
// person; the differing part of a value is marked; hostile text stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncSession, cronaTransport, drive, humaTransport } from '../../pkg/index.js';
import { control, setup, shot, signedIn, step } from './support.js';

const ctx = setup({ people: 40 });

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/** The core's preview of the sandbox as it is now (read only). */
async function preview() {
  const { humaUrl, cronaUrl, credentials } = ctx.sandbox;
  const s = new SyncSession({ today: today(), now: new Date().toISOString(), state: null });
  await drive(s, {
    huma: humaTransport({ baseUrl: humaUrl, clientId: credentials.huma.clientId, clientSecret: credentials.huma.clientSecret }),
    crona: cronaTransport({ baseUrl: cronaUrl, activationCode: credentials.crona.activationCode }),
  });
  const p = s.preview();
  s.free();
  return p;
}

/** A reset sandbox and a page on the conflicts step. @param {{ width: number, height: number }} [viewport] */
async function conflicts(viewport) {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const opened = await signedIn(ctx, 'anna', viewport);
  await opened.page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(opened.page, 'Conflicts and missing values');
  return opened;
}

test('on a 390 px phone the differences are stacked blocks: no sideways scrolling, and the step is far shorter', async () => {
  const { page, problems, context } = await conflicts({ width: 390, height: 844 });
  const rows = page.locator('tr.diff');
  const n = await rows.count();
  assert.equal(n, 30, 'the 40-person sandbox has 30 differences, all on the first page');
  const size = await page.evaluate(() => {
    const s = /** @type {HTMLElement} */ (document.scrollingElement);
    return {
      scrollWidth: s.scrollWidth,
      clientWidth: s.clientWidth,
      step: /** @type {HTMLElement} */ (document.querySelector('.step-conflicts')).scrollHeight,
      table: /** @type {HTMLElement} */ (document.querySelector('table.diffs')).getBoundingClientRect().height,
    };
  });
  assert.ok(size.scrollWidth <= size.clientWidth, `no horizontal scroll (${size.scrollWidth} > ${size.clientWidth})`);
  // Measured on the same data: the boxed paragraphs took 16,768 px for the step (559 px per
  // difference) and 13,084 px for the list (436 px each); the table takes about 10,400 and 6,500.
  assert.ok(size.step / n < 450, `the step is ${size.step} px high: ${Math.round(size.step / n)} px per difference`);
  assert.ok(size.table / n < 300, `the table is ${size.table} px high: ${Math.round(size.table / n)} px per difference`);
  // Each block still names its columns (before the values) and keeps the table for screen readers.
  const huma = rows.first().locator('.col-huma');
  assert.equal(await huma.evaluate((el) => getComputedStyle(el, '::before').content.split(' / ')[0]), '"Huma"');
  assert.equal(await page.getByRole('table', { name: 'Differences' }).getByRole('columnheader').count(), 5);
  assert.equal(await page.getByRole('table', { name: 'Differences' }).getByRole('row').count(), 31, 'a header row and a row per difference');
  await shot(page, 'phone-conflicts-table');
  assert.deepEqual(problems, []);
  await context.close();
});

test('"By field" rows show whose difference it is, and each radio group says whose field it is', async () => {
  const { page, problems, context } = await conflicts();
  await page.getByText('By field', { exact: true }).click();
  const rows = page.locator('tr.diff');
  await page.locator('caption', { hasText: 'Differences by field' }).waitFor({ state: 'attached' });
  assert.deepEqual(await page.locator('table.diffs thead th').allTextContents(), ['Field', 'Person', 'Huma', 'Crona Lön', 'Which value wins']);
  const p = await preview();
  for (const row of await rows.all()) {
    const who = row.locator('.col-person .who');
    assert.equal(await who.isVisible(), true);
    const name = (await who.textContent()) ?? '';
    assert.ok(p.differences.some((d) => d.person.name === name), `a person's name (${name})`);
    const group = row.getByRole('radiogroup');
    assert.match(await group.getAttribute('aria-label') ?? '', new RegExp(`^Which value wins for ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'s `));
  }
  await shot(page, 'conflicts-by-field');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the differing parts of a conflicting address, and the differing digits of an account, are marked', async () => {
  const { page, problems, context } = await conflicts();
  const p = await preview();
  // An address whose street alone differs (the core's note says which parts): only the streets are marked.
  const street = p.differences.find((d) => d.field === 'address' && d.kind === 'conflict' && d.notes.some((n) => n.code === 'address_parts' && n.message === 'Differs in: street.'));
  assert.ok(street?.huma && street.crona, 'the sandbox has an address that differs in its street only');
  await page.getByLabel('Field', { exact: true }).selectOption('address');
  await page.getByLabel('Search').fill(street.person.anstNr ?? street.person.email ?? street.person.name);
  const row = page.locator('tr.diff', { has: page.locator(`input[name="choice-${street.id}"]`) });
  assert.deepEqual(await row.locator('.col-huma mark').allTextContents(), [street.huma.display.split(', ')[0]]);
  assert.deepEqual(await row.locator('.col-crona mark').allTextContents(), [street.crona.display.split(', ')[0]]);
  assert.equal(await row.locator('.col-huma').textContent(), street.huma.display, 'the whole value is shown');
  await shot(page, 'conflicts-address-marked');

  // Two account numbers one digit apart: the digit is marked, not the number.
  const account = p.differences.find((d) => d.field === 'bankAccount' && d.kind === 'conflict' && d.huma && d.crona && d.huma.display.length === d.crona.display.length
    && [...d.huma.display].filter((c, i) => c !== d.crona?.display[i]).length === 1);
  assert.ok(account?.huma && account.crona, 'the sandbox has two accounts one digit apart');
  await page.getByLabel('Field', { exact: true }).selectOption('bankAccount');
  await page.getByLabel('Search').fill(account.person.anstNr ?? account.person.email ?? account.person.name);
  const digits = page.locator('tr.diff', { has: page.locator(`input[name="choice-${account.id}"]`) });
  const at = [...account.huma.display].findIndex((c, i) => c !== account.crona?.display[i]);
  assert.deepEqual(await digits.locator('.col-huma mark').allTextContents(), [account.huma.display[at]]);
  assert.deepEqual(await digits.locator('.col-crona mark').allTextContents(), [account.crona.display[at]]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a hostile name and value are shown as text in the table, marked and all', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { huma, crona } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const paired = huma.users.filter((/** @type {any} */ u) => crona.employees.some((/** @type {any} */ e) => (e.EpostArb ?? '').toLowerCase() === u.email));
  const hostile = '<img src=x onerror=alert(1)>';
  await control(ctx.box, `huma/users/${paired[0].id}/edit`, { givenName: hostile });
  const { page, problems, context } = await signedIn(ctx, 'anna');
  /** @type {string[]} */
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByLabel('Search').fill('onerror');
  const row = page.locator('tr.diff', { has: page.locator('.col-field', { hasText: 'Given name' }) });
  assert.equal(await row.count(), 1);
  assert.match(await row.locator('.col-person .who').textContent() ?? '', /^<img src=x onerror=alert\(1\)> /, 'the name, as text');
  assert.equal(await row.locator('.col-huma').textContent(), hostile, 'the value, as text');
  assert.equal(await row.locator('.col-huma mark').first().textContent(), hostile, 'and marked as the differing part');
  await shot(page, 'conflicts-hostile');
  assert.equal(await page.locator('main img').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});
