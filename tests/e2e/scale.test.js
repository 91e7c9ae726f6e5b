// 10,000 people per side: the wizard loads them, and the conflicts table stays small in the DOM
// (a page at a time) while the administrator pages and scrolls through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup, shot, signedIn, step } from './support.js';

const ctx = setup({ people: 10_000, drift: 0.1 });

test('a 10,000-person register loads, pages and scrolls', async () => {
  const { page, problems, context } = await signedIn(ctx);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  const lead = await page.locator('.lead').textContent() ?? '';
  const [huma] = (lead.match(/^([\d,]+) people in Huma/) ?? []).slice(1).map((n) => Number(n.replace(/,/g, '')));
  assert.ok(huma >= 9_900, lead);
  await shot(page, 'scale-conflicts');
  const rows = page.locator('tr.diff');
  assert.equal(await rows.count(), 30, 'exactly one page of rows in the DOM');
  const status = page.locator('.pager-status').first();
  const first = await status.textContent();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next ›' }).first().click();
  assert.notEqual(await status.textContent(), first);
  assert.equal(await rows.count(), 30);
  await page.mouse.wheel(0, 4000);
  await page.waitForFunction(() => window.scrollY > 0);
  const total = Number((await page.getByText(/differences? shown of/).textContent() ?? '').match(/of ([\d,]+)/)?.[1].replace(/,/g, ''));
  assert.ok(total >= 500, `a drifted 10,000-person register has many differences (${total})`);
  await page.getByLabel('Field', { exact: true }).selectOption('phone');
  const shown = Number((await page.getByText(/differences? shown of/).textContent() ?? '').match(/^([\d,]+)/)?.[1].replace(/,/g, ''));
  assert.ok(shown > 0 && shown < total, `the filter narrows the list (${shown} of ${total})`);
  assert.equal(await rows.count(), Math.min(shown, 30));
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  await shot(page, 'scale-create');
  await page.getByRole('button', { name: '‹ Connections' }).click();
  await step(page, 'Connections');
  assert.equal(ctx.service.store.lease(ctx.connectionId), null, 'leaving the wizard gives the connection back');
  assert.deepEqual(problems, []);
  await context.close();
});
