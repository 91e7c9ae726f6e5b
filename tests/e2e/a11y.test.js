// Every view and wizard step as people with assistive technology and keyboards meet it, at a desk
// (1280×900) and on a phone (390×844): axe-core finds no WCAG 2.2 A/AA violation, and every
// element that takes focus while tabbing through is fully visible, never under the sticky
// action bar (WCAG 2.2 2.4.11).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { SANDBOX_CONNECTION, approveAndRun, control, setup, signedIn, step } from './support.js';

const ctx = setup({ people: 40 });
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = /** @type {const} */ ([['desk', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]);

/**
 * axe-core's violations on the page as it is now, as "rule: target" lines.
 * @param {import('playwright-core').Page} page
 */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.flatMap((/** @type {any} */ v) => v.nodes.map((/** @type {any} */ n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

/**
 * Tabs through the page from the top (at most `limit` stops) and lists each focused element that
 * isn't fully visible: outside the viewport, or covered by something else at one of its corners.
 * @param {import('playwright-core').Page} page @param {number} [limit]
 */
async function hiddenFocus(page, limit = 120) {
  await page.evaluate(() => { /** @type {HTMLElement | null} */ (document.activeElement)?.blur(); window.scrollTo(0, 0); });
  /** @type {string[]} */
  const hidden = [];
  /** @type {Set<string>} */
  const seen = new Set();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      // A radio or checkbox is shown by its label too; its own box is what must be visible.
      const r = el.getBoundingClientRect();
      const inView = r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
      const inset = 1;
      const corners = [[r.left + inset, r.top + inset], [r.right - inset, r.top + inset], [r.left + inset, r.bottom - inset], [r.right - inset, r.bottom - inset]];
      const covered = inView && corners.some(([x, y]) => {
        const top = document.elementFromPoint(x, y);
        return top !== null && top !== el && !el.contains(top) && !top.contains(el) && !(top instanceof HTMLLabelElement && top.htmlFor === el.id);
      });
      return { name, key: name + r.top + r.left, ok: inView && !covered };
    });
    if (!found) continue;
    if (seen.has(found.key)) break;
    seen.add(found.key);
    if (!found.ok) hidden.push(found.name);
  }
  assert.ok(seen.size >= 3, 'the walk reached several focusable elements');
  return hidden;
}

/** Both checks on the page as it is now. @param {import('playwright-core').Page} page @param {string} where */
async function check(page, where) {
  assert.deepEqual(await violations(page), [], `${where}: axe-core`);
  assert.deepEqual(await hiddenFocus(page), [], `${where}: focused elements fully visible`);
}

for (const [size, viewport] of VIEWPORTS) {
  test(`${size}: every wizard step and the connection views pass axe-core, and focus is never hidden`, async () => {
    await control(ctx.box, 'reset', { seed: 1, people: 40 });
    await ctx.freshConnection();
    const { page, problems, context } = await signedIn(ctx, 'anna', viewport);
    await check(page, `${size} connections`);

    await page.getByRole('button', { name: 'Add connection' }).click();
    await step(page, 'Add a connection');
    await page.getByRole('button', { name: 'Verify and save' }).click();
    await page.getByText('Confirm that you may connect these systems.').waitFor();
    await check(page, `${size} connection form, with its errors`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await step(page, 'Connections');

    await page.getByRole('article', { name: SANDBOX_CONNECTION }).getByRole('button', { name: 'Synchronize users' }).click();
    await step(page, 'Conflicts and missing values');
    await check(page, `${size} conflicts`);
    await page.getByRole('button', { name: 'Next: create users' }).click();
    await step(page, 'Create users');
    await check(page, `${size} create users`);
    await page.getByRole('button', { name: 'Next: review' }).click();
    await step(page, 'Review the plan');
    await check(page, `${size} review`);
    await approveAndRun(page);
    await check(page, `${size} result`);
    await page.getByRole('button', { name: 'Back to connections' }).click();
    await step(page, 'Connections');
    await page.getByText(/Recent runs and error log/).first().click();
    await check(page, `${size} connections, after a sync, with its runs open`);
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
    await context.close();
  });
}

test('phone: a result with failed writes fits the screen, each failed write a block with its cells named', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { page, context } = await signedIn(ctx, 'anna', VIEWPORTS[1][1]);
  await control(ctx.box, 'faults', { rules: [{ system: 'crona', method: 'PATCH', kind: 'status', status: 500, count: 2 }] });
  try {
    await page.getByRole('article', { name: SANDBOX_CONNECTION }).getByRole('button', { name: 'Synchronize users' }).click();
    await step(page, 'Conflicts and missing values');
    await page.getByRole('button', { name: 'Next: create users' }).click();
    await page.getByRole('button', { name: 'Next: review' }).click();
    await approveAndRun(page);
    await step(page, 'Done, with errors');
  } finally {
    await control(ctx.box, 'faults', undefined, 'DELETE');
  }
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  assert.equal(fits, true, 'no sideways scrolling');
  const row = page.locator('table.errors-table tbody tr').first();
  assert.equal(await row.evaluate((r) => getComputedStyle(r).display), 'block');
  const named = await row.locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c, '::before').content));
  assert.deepEqual(named, ['"Person: "', '"System: "', '"Fields: "', '"Status: "', '"API code: "', '"Message: "']);
  assert.deepEqual(await violations(page), [], 'axe-core');
  await context.close();
});
