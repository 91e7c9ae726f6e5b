// The fetch's progress bar tells the truth at a point the sandbox holds it at: indeterminate
// until both systems stated their totals, then the share of the requests those totals call for,
// with each system's count of its total under it. The sandbox's pause stops answering after a
// chosen number of requests, so the test looks at a state, never at a clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { control, setup, shot, signedIn, step } from './support.js';

const ctx = setup({ people: 450 });

/** Huma's users and Crona's employees a page (the core asks for the most each allows). */
const HUMA_PAGE = 50;
const CRONA_PAGE = 200;

/** Waits, generously (CI shares two cores), until `check` holds. @param {() => Promise<boolean>} check @param {string} what */
async function until(check, what) {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`waited two minutes for: ${what}`);
}

/** The sandbox's pause as it stands. */
async function pause() {
  return (await control(ctx.box, 'pause', undefined, 'GET')).pause;
}

/** The GET requests the sandbox answered since `seq`, with their status. @param {number} seq */
async function answeredSince(seq) {
  const { requests } = await (await fetch(`${ctx.box.url}/_sandbox/inspect?data=false&since=${seq}`)).json();
  return /** @type {{ system: string, method: string, path: string, query: Record<string, string>, status: number | null }[]} */ (requests)
    .filter((r) => r.method === 'GET' && r.status !== null);
}

/** @param {import('playwright-core').Page} page */
const line = (page) => page.locator('.progress-text').textContent();

test("a quarter through the fetch, the bar is a quarter full and names both systems' counts of their totals", async () => {
  const { huma, crona, seq } = await (await fetch(`${ctx.box.url}/_sandbox/inspect`)).json();
  const people = huma.users.length;
  const employees = crona.employees.length;
  /** @type {Map<string, number>} */
  const positions = new Map();
  for (const p of huma.positions) positions.set(p.userId, (positions.get(p.userId) ?? 0) + 1);
  assert.ok(Math.max(...positions.values()) <= 100, 'one page of positions each');
  const humaPages = Math.ceil(people / HUMA_PAGE);
  const cronaPages = Math.ceil(employees / CRONA_PAGE);
  assert.ok(humaPages >= 5 && cronaPages >= 2, `several pages of each (${humaPages}, ${cronaPages})`);
  // The work: each listing's pages, and per Huma person their details and positions.
  const total = humaPages + 2 * people + cronaPages;

  // Huma answers nothing yet: Crona's total alone gives no share of the whole.
  await control(ctx.box, 'pause', { after: 0, system: 'huma', method: 'GET' });
  const { page, problems, context } = await signedIn(ctx);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Reading both systems');
  const bar = page.getByRole('progressbar', { name: 'Reading Huma and Crona Lön' });
  const cronaOnly = `Huma: 0 people read · Crona Lön: ${employees} of ${employees} employees · `;
  await until(async () => (await line(page))?.startsWith(cronaOnly) ?? false, cronaOnly);
  assert.equal(await bar.getAttribute('value'), null, 'indeterminate while Huma has stated no total');

  // Let Huma answer until a quarter of all the requests are answered: its held first page,
  // then `more` requests, then the sandbox holds the rest.
  const quarter = Math.round(total / 4);
  const more = quarter - cronaPages - 1;
  await control(ctx.box, 'pause', { after: more, system: 'huma', method: 'GET' });
  await until(async () => (await pause()).passed === more && (await answeredSince(seq)).filter((r) => r.system === 'huma').length === more + 1,
    `${more + 1} Huma requests answered`);
  const answered = await answeredSince(seq);
  // The service checked the Crona key first by reading one employee: that read is not the fetch's.
  const fetched = answered.filter((r) => !(r.system === 'crona' && r.query.pageSize === '1'));
  assert.equal(fetched.length, quarter);
  /** The Huma ids whose request of this shape was answered. @param {RegExp} shape */
  const ids = (shape) => new Set(fetched.filter((r) => r.system === 'huma').map((r) => shape.exec(r.path)?.[1]).filter(Boolean));
  const lists = ids(/^\/users\/([^/]+)\/positions$/);
  const done = [...ids(/^\/users\/([^/]+)$/)].filter((id) => lists.has(id)).length;
  const held = `Huma: ${done} of ${people} people read · Crona Lön: ${employees} of ${employees} employees · `;
  await until(async () => (await line(page))?.startsWith(held) ?? false, held);
  await shot(page, 'progress-quarter');

  const value = Number(await bar.getAttribute('value'));
  assert.equal(value, Math.round((100 * quarter) / total), `${quarter} of ${total} requests`);
  assert.ok(value >= 20 && value <= 30, `a quarter of the work shows as a quarter (${value})`);
  assert.match(await line(page) ?? '', /^Huma: \d+ of \d+ people read · Crona Lön: \d+ of \d+ employees · \d+ (s|min \d+ s) so far(, (a few seconds|about .+) left)?$/);
  assert.equal(await page.locator('.progress-text').evaluate((el) => el.closest('[aria-live], [role="status"], [role="alert"], [role="log"]')), null,
    'the counts change many times a second: not a live region');

  await control(ctx.box, 'pause', undefined, 'DELETE');
  await step(page, 'Conflicts and missing values');
  assert.deepEqual(problems, []);
  await context.close();
});
