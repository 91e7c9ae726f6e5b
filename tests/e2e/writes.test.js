// The exact writes on the page: after a whole first sync with choices, the review lists every
// field written (system, person, field with its Crona or Huma property, before → after), exactly
// what the sandbox then receives; the result, the CSV and the JSON report carry the same rows with
// how each ended; and on a phone the rows stack without scrolling sideways.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { visible } from '../../pkg/lib/text.js';
import { SANDBOX_CONNECTION, control, setup, shot, signedIn, step, tableRows } from './support.js';

const ctx = setup({ people: 40 });

/** @param {import('playwright-core').Page} page */
async function seq(page) {
  return (await (await page.request.get(`${ctx.box.url}/_sandbox/inspect?data=false`)).json()).seq;
}

/** The file a download link gives, as text. @param {import('playwright-core').Page} page @param {string} name */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return readFileSync(/** @type {string} */ (await file.path()), 'utf8');
}

/** One CSV line split into cells (every cell is quoted). @param {string} line */
function cells(line) {
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"'));
}

/** The row as the page's "Before → after" cell writes it. @param {{ before: string | null, after: string | null }} w */
const arrow = (w) => `${visible(w.before ?? '(empty)')} → ${visible(w.after ?? '(empty)')}`;

test('the review lists every field written, before → after, exactly what the sandbox receives; the result and the CSV keep them with the outcome', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { page, problems, context } = await signedIn(ctx, 'anna');
  const since = await seq(page);
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  // Choices both ways: phones from Huma, private e-mails from Crona, the rest as suggested.
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');
  const priv = page.getByLabel(/^Private e-mail \(\d+\)$/);
  if (await priv.count()) await priv.selectOption('crona');
  await page.getByText(/^With these choices: /).waitFor();
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  for (const all of await page.getByLabel(/^Select all/).all()) if (await all.isEnabled()) await all.check();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  await shot(page, 'writes-1-review');

  const reviewed = await tableRows(page, 'Writes');
  assert.ok(reviewed.length > 10, `a first sync writes many fields (${reviewed.length})`);
  assert.match(await page.getByRole('heading', { name: /^The exact writes/ }).textContent() ?? '', new RegExp(`^The exact writes \\(${reviewed.length} fields?\\)$`));
  for (const r of reviewed) {
    assert.deepEqual(Object.keys(r), ['System', 'Person', 'Field', 'Before → after'], 'every row has its columns');
    assert.match(r['Before → after'], / → /, 'before → after');
    if (r.System === 'Crona Lön') assert.match(r.Field, /\((\w+)(, \w+)*\)$/, `a Crona field names its property: ${r.Field}`);
    else assert.doesNotMatch(r.Field, /\(/, `a Huma field is named by its label alone: ${r.Field}`);
  }
  assert.ok(reviewed.some((r) => r.System === 'Crona Lön' && /^Mobile phone \(Mobil\)$/.test(r.Field)), 'Crona\'s own names');
  assert.ok(reviewed.some((r) => r.System === 'Crona Lön' && r.Field === 'Employment ID (AnstNr)' && r['Before → after'].startsWith('(empty) → ')), 'a create in Crona, from nothing');
  assert.ok(reviewed.some((r) => r.System === 'Huma' && r.Field === 'Employment ID'), 'a create in Huma\'s follow-up');

  // Search by AnstNr and filter by system narrow the list.
  const anst = /AnstNr (\d+)/.exec(reviewed.find((r) => r.System === 'Crona Lön')?.Person ?? '')?.[1];
  assert.ok(anst);
  await page.getByRole('search', { name: 'Find in writes' }).getByLabel('Search').fill(anst);
  const found = await tableRows(page, 'Writes');
  assert.deepEqual(found, reviewed.filter((r) => r.Person.includes(`AnstNr ${anst}`)));
  await page.getByRole('search', { name: 'Find in writes' }).getByLabel('Search').fill('');
  await page.getByRole('search', { name: 'Find in writes' }).getByLabel('System').selectOption('huma');
  assert.deepEqual(await tableRows(page, 'Writes'), reviewed.filter((r) => r.System === 'Huma'));
  await page.getByRole('search', { name: 'Find in writes' }).getByLabel('System').selectOption('');

  const approve = page.getByLabel(/I have checked it and approve it/);
  if (await approve.count()) await approve.check();
  await page.getByRole('button', { name: /^Run \d+ operations$/ }).click();
  await step(page, /^Done/);
  await shot(page, 'writes-2-result');

  // The result: the same rows, each with how it ended.
  const result = await tableRows(page, 'Writes and their outcome');
  assert.deepEqual(result.map(({ Outcome, ...r }) => r), reviewed, 'the result lists the reviewed writes, in order');
  assert.deepEqual([...new Set(result.map((r) => r.Outcome))], ['done']);

  // The JSON report's rows are exactly what the sandbox received, property by property.
  const report = JSON.parse(await download(page, 'Download the report (JSON)'));
  const { writes: received } = await (await fetch(`${ctx.box.url}/_sandbox/inspect?since=${since}`)).json();
  /** Where a write went: system, method and whom (AnstNr, Huma id, or a new Huma user's e-mail). @param {string} system @param {string} method @param {string} who */
  const key = (system, method, who) => `${system} ${method} ${who}`;
  /** @type {Map<string, Record<string, unknown>>} */
  const got = new Map();
  for (const w of received.filter((/** @type {any} */ w) => w.status !== 409)) {
    const body = { ...w.body };
    delete body.groups; // a new Huma user's group is the connection's, not a field of theirs
    const who = w.system === 'crona' ? (w.method === 'POST' ? w.body.AnstNr : w.path.split('/').pop())
      : (w.method === 'POST' ? w.body.email : w.path.split('/').pop());
    const k = key(w.system, w.method, who);
    assert.ok(!got.has(k), `one write per target: ${k}`);
    got.set(k, body);
  }
  /** @type {Map<string, Record<string, unknown>>} */
  const rowsSent = new Map();
  for (const o of report.outcomes) {
    const method = o.kind.startsWith('create') && !o.operationId.endsWith(':details') ? 'POST' : 'PATCH';
    const who = o.system === 'crona' ? o.person.anstNr
      : method === 'POST' ? o.writes.find((/** @type {any} */ r) => r.field === 'email')?.sent.email : o.person.humaId;
    const k = key(o.system, method, who);
    const sent = rowsSent.get(k) ?? {};
    for (const r of o.writes) {
      for (const p of Object.keys(r.sent)) assert.ok(!(p in sent), `one row per property: ${k} ${p}`);
      Object.assign(sent, r.sent);
    }
    rowsSent.set(k, sent);
  }
  assert.deepEqual(Object.fromEntries([...rowsSent].sort()), Object.fromEntries([...got].sort()),
    'every property the sandbox received is in a row with the value sent, and no row without a received write');
  const flat = report.outcomes.flatMap((/** @type {any} */ o) => o.writes.map((/** @type {any} */ r) => ({ ...r, outcome: o.outcome, person: o.person })));
  assert.deepEqual(result.map((r) => r['Before → after']), flat.map(arrow), 'the page shows the report\'s before → after');

  // The CSV: one row per write, the same rows with their outcome.
  const csv = (await download(page, 'Download the writes (CSV)')).trimEnd().split('\r\n').map(cells);
  assert.deepEqual(csv[0], ['time', 'system', 'person', 'AnstNr', 'field', 'property', 'before', 'after', 'outcome', 'error']);
  const unformula = (/** @type {string} */ s) => s.replace(/^'(?=[=+\-@\t\r])/, '');
  assert.deepEqual(csv.slice(1).map((c) => [c[0], c[1], c[2], c[3], c[5], unformula(c[6]) || null, unformula(c[7]) || null, c[8], c[9]]),
    flat.map((/** @type {any} */ r) => [report.time, r.system === 'huma' ? 'Huma' : 'Crona Lön', visible(r.person.name), r.person.anstNr ?? '', r.properties.join(', '),
      r.before === null ? null : visible(r.before), r.after === null ? null : visible(r.after), 'done', '']));

  // The service keeps the report, rows included: the audit trail; the history offers the same CSV.
  const run = ctx.service.store.runs(ctx.connectionId)[0];
  assert.deepEqual(ctx.service.store.report(run.id).outcomes.flatMap((/** @type {any} */ o) => o.writes), report.outcomes.flatMap((/** @type {any} */ o) => o.writes));
  const resultCsv = await download(page, 'Download the writes (CSV)');
  await page.getByRole('button', { name: 'Back to connections' }).click();
  await step(page, 'Connections');
  const card = page.getByRole('article', { name: SANDBOX_CONNECTION });
  await card.getByText(/^Recent runs and error log/).click();
  await card.getByRole('button', { name: 'Writes (CSV)' }).click();
  assert.equal(await download(page, `Download the writes (CSV, ${flat.length})`), resultCsv, 'the history\'s CSV is the result\'s');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a 390 px phone the writes stack as rows without scrolling sideways', async () => {
  await control(ctx.box, 'reset', { seed: 1, people: 40 });
  await ctx.freshConnection();
  const { page, problems, context } = await signedIn(ctx, 'anna', { width: 390, height: 844 });
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  await page.getByLabel(/^Mobile phone \(\d+\)$/).selectOption('huma');
  await page.getByRole('button', { name: 'Next: create users' }).click();
  await step(page, 'Create users');
  await page.getByRole('button', { name: 'Next: review' }).click();
  await step(page, 'Review the plan');
  const table = page.getByRole('table', { name: 'Writes' });
  await table.locator('tbody tr').first().waitFor();
  await shot(page, 'writes-3-phone');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, `no sideways scrolling: ${widths.page} > ${widths.view}`);
  const cell = table.locator('tbody tr').first().locator('td').nth(1);
  assert.equal(await cell.evaluate((td) => getComputedStyle(td).display), 'block', 'a row stacks its cells');
  assert.equal(await cell.evaluate((td) => getComputedStyle(td, '::before').content), '"Person: "', 'each with its column name');
  assert.deepEqual(problems, []);
  await context.close();
});
