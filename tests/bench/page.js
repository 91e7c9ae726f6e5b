// In headless Chromium with a 10,000-person register, on one sandbox and one integration service:
// - pageInteractive: from the end of fetching to the conflicts table taking input. The page marks
//   the end of the fetch; the bench waits for the step's heading and the next frame, which is when
//   a click or key would be handled.
// - pageFetchOverCli: the page's "Synchronize users" up to the conflicts table, against
//   `crona-sync preview --json` for the same people (its own process, straight to the APIs, as
//   an administrator would run it), alternated round by round.
// - pageLongestTask: the longest task on the page's main thread from "Synchronize users" to the
//   result step (fetch, conflicts table, review, run, result), from the browser's own 'longtask'
//   entries (tasks of 50 ms and more).
//
// The sandbox runs in a process of its own, as Huma and Crona are other machines: in the bench's
// process it would share one thread with the integration service, and the page's fetch would pay
// for the APIs' work and the relay's on one core while the CLI's pays only for the APIs'.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { addAdmin, addConnection, signinLink } from '../../pkg/lib/service/bootstrap.js';
import { startService } from '../../pkg/lib/service/server.js';
import { SANDBOX_CONNECTION } from '../e2e/stack.js';
import { jobEnv, runCli } from '../js/support/cli.js';
import { median } from './stats.js';

/**
 * @typedef {{ sandbox: import('../e2e/stack.js').Stack['sandbox'], signinUrl: (admin: string) => string }} BenchStack
 */

/** The sandbox in its own process and the service in this one, with the sandbox connection and the bench's administrator. @param {number} people @returns {Promise<BenchStack & { close: () => Promise<void> }>} */
async function startBenchStack(people) {
  const child = spawn(process.execPath, [new URL('../sandbox/main.js', import.meta.url).pathname, '--port', '0', '--people', String(people), '--drift', '0.1', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = /** @type {[string]} */ (await once(createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }), 'line'));
  const sandbox = JSON.parse(line);
  const dir = await mkdtemp(join(tmpdir(), 'crona-sync-bench-'));
  const service = await startService({ data: dir, port: 0, quiet: true });
  await addAdmin(service.store, 'bench', 'bench-has-a-long-password');
  await addConnection(service.store, {
    name: SANDBOX_CONNECTION,
    huma: { baseUrl: sandbox.humaUrl, clientId: sandbox.credentials.huma.clientId, clientSecret: sandbox.credentials.huma.clientSecret },
    crona: { baseUrl: sandbox.cronaUrl, activationCode: sandbox.credentials.crona.activationCode },
    group: null,
  });
  return {
    sandbox,
    signinUrl: (admin) => `${service.url}/#signin=${signinLink(service.store, admin)}`,
    async close() {
      await service.close();
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** @param {number} people @param {(stack: BenchStack, browser: import('playwright-core').Browser) => Promise<any>} work */
async function withStack(people, work) {
  const stack = await startBenchStack(people);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    return await work(stack, browser);
  } finally {
    await browser.close();
    await stack.close();
  }
}

/** A signed-in page on the connections list. @param {BenchStack} stack @param {import('playwright-core').Browser} browser */
async function open(stack, browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(stack.signinUrl('bench'));
  await page.getByRole('heading', { level: 2, name: 'Connections' }).waitFor();
  return { page, context };
}

/** @param {import('playwright-core').Page} page */
const conflicts = (page) => page.getByRole('heading', { level: 2, name: 'Conflicts and missing values' }).waitFor({ timeout: 600_000 });

/** Leaving the wizard gives the connection back for the next round. @param {import('playwright-core').Page} page */
async function leave(page) {
  await page.getByRole('button', { name: '‹ Connections' }).click();
  await page.getByRole('heading', { level: 2, name: 'Connections' }).waitFor();
}

/** @param {number} people @returns {Promise<number>} */
export function pageInteractive(people) {
  return withStack(people, async (stack, browser) => {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const { page, context } = await open(stack, browser);
      await page.getByRole('button', { name: 'Synchronize users' }).click();
      await conflicts(page);
      const ms = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => {
        const [fetched] = performance.getEntriesByName('crona-sync:fetched');
        resolve(performance.now() - fetched.startTime);
      })));
      times.push(/** @type {number} */ (ms));
      await leave(page);
      await context.close();
    }
    return median(times);
  });
}

/**
 * The page's whole fetch and preview over the CLI's, median of the per-round ratios; rounds
 * alternate (CLI, page, CLI, page, …) on one sandbox.
 * @param {number} people @param {number} [rounds]
 * @returns {Promise<{ ratio: number, page: number, cli: number }>}
 */
export function pageFetchOverCli(people, rounds = 3) {
  return withStack(people, async (stack, browser) => {
    const cli = async () => {
      const t0 = performance.now();
      const run = await runCli(['preview', '--json'], { env: jobEnv(stack.sandbox) });
      if (run.code !== 0) throw new Error(`crona-sync preview failed: ${run.stderr}`);
      return performance.now() - t0;
    };
    const viaPage = async () => {
      const { page, context } = await open(stack, browser);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Synchronize users' }).click();
      await conflicts(page);
      const ms = performance.now() - t0;
      await leave(page);
      await context.close();
      return ms;
    };
    const ratios = [];
    const pages = [];
    const clis = [];
    for (let i = 0; i < rounds; i++) {
      const c = await cli();
      const p = await viaPage();
      clis.push(c);
      pages.push(p);
      ratios.push(p / c);
    }
    return { ratio: median(ratios), page: median(pages), cli: median(clis) };
  });
}

/**
 * The longest main-thread task of one whole sync in the page: Synchronize, the conflicts table,
 * create, review (a mass change approved), run, result.
 * @param {number} people @returns {Promise<number>}
 */
export function pageLongestTask(people) {
  return withStack(people, async (stack, browser) => {
    const { page, context } = await open(stack, browser);
    await page.evaluate(() => {
      /** @type {any} */ (window).longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) /** @type {any} */ (window).longest = Math.max(/** @type {any} */ (window).longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    await page.getByRole('button', { name: 'Synchronize users' }).click();
    await conflicts(page);
    await page.getByRole('button', { name: 'Next: create users' }).click();
    await page.getByRole('button', { name: 'Next: review' }).click();
    await page.getByRole('heading', { level: 2, name: 'Review the plan' }).waitFor();
    const approve = page.getByLabel(/I have checked it and approve it/);
    await page.getByRole('button', { name: /^(Run [\d,]+ operations|Finish \(nothing to write\))$/ }).waitFor();
    if (await approve.count()) await approve.check();
    await page.getByRole('button', { name: /^(Run [\d,]+ operations|Finish \(nothing to write\))$/ }).click();
    await page.getByRole('heading', { level: 2, name: /^(Done|Stopped)/ }).waitFor({ timeout: 600_000 });
    // The result step's own tasks, and a frame after them.
    const longest = await page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve(/** @type {any} */ (window).longest)), 500)));
    await context.close();
    return /** @type {number} */ (longest);
  });
}
