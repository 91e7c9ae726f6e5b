// The integration page in real headless Chromium, served by the sandbox on 127.0.0.1.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startSandbox } from '../sandbox/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let box;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  box = await startSandbox({ people: 40, quiet: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await box?.close();
});

test('the page loads the wasm core, passes its self check and opens on the connections', async () => {
  const page = await browser.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  /** @type {string | null} */
  let wasmType = null;
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmType = r.headers()['content-type'];
  });
  await page.goto(box.url + '/');
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  const v = page.locator('#core-version');
  assert.equal(await v.getAttribute('data-version'), pkg.version);
  assert.match(await v.getAttribute('title') ?? '', new RegExp(`Self check passed: engine ${pkg.version.replace(/\./g, '\\.')} loaded in \\d+ ms`));
  assert.equal(wasmType, 'application/wasm');
  assert.deepEqual(problems, []);
  await page.close();
});

test('in the browser, core errors are CronaSyncError instances with code and details', async () => {
  const page = await browser.newPage();
  await page.goto(box.url + '/');
  const result = await page.evaluate(async () => {
    /** @type {typeof import('crona-sync/web')} */
    const mod = await import(/** @type {string} */ ('/pkg/web.js'));
    await mod.default();
    try {
      mod.checkConfig({ today: '2026-13-01', now: '2026-11-25T09:30:00Z' });
      return null;
    } catch (e) {
      const error = /** @type {import('crona-sync').CronaSyncError} */ (e);
      const details = /** @type {{ field?: string } | null} */ (error.details);
      return { isClass: e instanceof mod.CronaSyncError, isError: e instanceof Error, code: error.code, field: details?.field };
    }
  });
  assert.deepEqual(result, { isClass: true, isError: true, code: 'invalid_config', field: 'today' });
  await page.close();
});

test("the README's browser example runs in the browser as written", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('<!-- readme-test: browser -->\n```js\n')[1];
  assert.ok(block, 'the README has a browser example');
  // The page serves the package at /pkg/; a bundler would resolve 'crona-sync/web' to the same file.
  const code = block.slice(0, block.indexOf('```')).replace("'crona-sync/web'", "'/pkg/web.js'");
  const page = await browser.newPage();
  // A plain page of the same origin (the integration page's CSP rightly forbids inline scripts).
  const blank = `${box.url}/readme-example.html`;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>README</title>' }));
  await page.goto(blank);
  const logged = page.waitForEvent('console', (m) => m.type() === 'log');
  await page.addScriptTag({ type: 'module', content: code });
  assert.equal((await logged).text(), pkg.version);
  await page.close();
});

test('the page and the wizard are usable on a phone-sized screen', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await page.goto(box.url + '/');
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  assert.equal(await overflow(), false, 'no horizontal scrolling at 390 px');
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await page.getByRole('heading', { name: 'Conflicts and missing values' }).waitFor({ timeout: 60_000 });
  assert.equal(await overflow(), false, 'the conflicts step fits at 390 px');
  await page.screenshot({ path: new URL('../../target/e2e-screenshots/phone-conflicts.png', import.meta.url).pathname });
  const button = page.getByRole('button', { name: 'Next: create users' });
  const box390 = await button.boundingBox();
  assert.ok(box390 && box390.height >= 40, 'touch-sized buttons');
  await page.close();
});
