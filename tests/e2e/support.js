// What the page tests share: Debian's Chromium through playwright-core; a sandbox (Huma and Crona
// on 127.0.0.1) and the integration service in front of it, with a throwaway data directory, two
// administrators (anna, bertil) and the sandbox connection ready; pages signed in by one-time
// links; screenshots of each step in target/e2e-screenshots/, and the page's own errors collected.
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startStack } from './stack.js';

export { SANDBOX_CONNECTION } from './stack.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const SHOTS = new URL('../../target/e2e-screenshots/', import.meta.url).pathname;
export const ADMINS = Object.freeze({ anna: 'anna-has-a-long-password', bertil: 'bertil-has-a-long-password' });

/** @typedef {import('./stack.js').Stack & { browser: import('playwright-core').Browser }} Ctx */

/**
 * The sandbox, the service and a browser for one test file.
 * @param {Parameters<typeof startStack>[0]} options  the sandbox's
 * @param {Parameters<typeof startStack>[2]} [serviceOptions]  the service's clock, debounce, schedule check
 */
export function setup(options, serviceOptions) {
  /** @type {Ctx} */
  const ctx = /** @type {any} */ ({});
  /** @type {import('./stack.js').Stack | undefined} */
  let stack;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack(options, ADMINS, serviceOptions);
    Object.assign(ctx, stack);
    ctx.browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await ctx.browser?.close();
    await stack?.close();
  });
  return ctx;
}

/**
 * A fresh page (its own browser context and storage) that records script errors; `problems`
 * must stay empty.
 * @param {import('playwright-core').Browser} browser
 * @param {{ width: number, height: number }} [viewport]
 */
export async function openPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  return { page, problems, context };
}

/**
 * A fresh page signed in as `admin` through a one-time sign-in link, on the connections list.
 * @param {Ctx} ctx @param {keyof typeof ADMINS} [admin] @param {{ width: number, height: number }} [viewport]
 */
export async function signedIn(ctx, admin = 'anna', viewport) {
  const opened = await openPage(ctx.browser, viewport);
  await opened.page.goto(ctx.signinUrl(admin));
  await step(opened.page, 'Connections');
  return opened;
}

/** @param {import('playwright-core').Page} page @param {string} name */
export async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** @param {{ url: string }} box @param {string} path @param {unknown} [body] @param {string} [method] */
export async function control(box, path, body, method = 'POST') {
  const response = await fetch(`${box.url}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Waits for a view or wizard step by its heading. @param {import('playwright-core').Page} page @param {string | RegExp} name */
export async function step(page, name) {
  const heading = page.getByRole('heading', { level: 2, name });
  await heading.waitFor({ timeout: 600_000 });
  return heading;
}

/**
 * Every row of a writes table, page by page: its cells as text, by column name.
 * @param {import('playwright-core').Page} page @param {string} name  the table's accessible name
 */
export async function tableRows(page, name) {
  const table = page.getByRole('table', { name });
  const next = page.getByRole('navigation', { name: `${name}: pages` }).getByRole('button', { name: 'Next ›' });
  /** @type {Record<string, string>[]} */
  const rows = [];
  for (;;) {
    rows.push(...await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.label ?? '', (td.textContent ?? '').trim()])))));
    if (!(await next.isVisible()) || (await next.isDisabled())) break;
    await next.click();
  }
  return rows;
}

/** From the review step: approve a mass change when asked, run, and wait for the result. @param {import('playwright-core').Page} page */
export async function approveAndRun(page) {
  await step(page, 'Review the plan');
  const approve = page.getByLabel(/I have checked it and approve it/);
  if (await approve.count()) await approve.check();
  await page.getByRole('button', { name: /^Run \d+ operations$/ }).click();
  await step(page, /^Done/);
}
