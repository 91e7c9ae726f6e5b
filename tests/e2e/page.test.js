// The integration page in real headless Chromium, served by the integration service on 127.0.0.1:
// the wasm core, signing in (the first administrator, passwords, one-time links), a phone screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { signinLink } from '../../pkg/lib/service/bootstrap.js';
import { startService } from '../../pkg/lib/service/server.js';
import { ADMINS, SANDBOX_CONNECTION, openPage, setup, shot, signedIn, step } from './support.js';

const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
const ctx = setup({ people: 40 });

test('the page loads the wasm core, passes its self check and opens on the connections', async () => {
  const { page, problems, context } = await openPage(ctx.browser);
  /** @type {string | null} */
  let wasmType = null;
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmType = r.headers()['content-type'];
  });
  const token = signinLink(ctx.service.store, 'anna');
  await page.goto(`${ctx.url}/#signin=${token}`);
  await step(page, 'Connections');
  const v = page.locator('#core-version');
  assert.equal(await v.getAttribute('data-version'), pkg.version);
  assert.match(await v.getAttribute('title') ?? '', new RegExp(`Self check passed: engine ${pkg.version.replace(/\./g, '\\.')} loaded in \\d+ ms`));
  assert.equal(wasmType, 'application/wasm');
  assert.equal(page.url(), `${ctx.url}/`, 'the sign-in token is gone from the address bar');
  assert.match(await page.locator('#account').textContent() ?? '', /^Signed in as anna\s*Sign out$/);
  assert.equal(await page.getByRole('article', { name: SANDBOX_CONNECTION }).count(), 1, 'the sandbox connection is there');
  assert.match(await page.locator('.footer').textContent() ?? '', /runs in your browser; your data goes to Huma and Crona through the integration service/);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content') ?? '';
  assert.match(csp, /connect-src 'self';/, 'the page talks to its own origin only');
  assert.deepEqual(problems, []);
  await context.close();
});

test('in the browser, core errors are CronaSyncError instances with code and details', async () => {
  const { page, context } = await openPage(ctx.browser);
  await page.goto(ctx.url + '/');
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
  await context.close();
});

test("the README's browser example runs in the browser as written", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('<!-- readme-test: browser -->\n```js\n')[1];
  assert.ok(block, 'the README has a browser example');
  // The service serves the package at /pkg/; a bundler would resolve 'crona-sync/web' to the same file.
  const code = block.slice(0, block.indexOf('```')).replace("'crona-sync/web'", "'/pkg/web.js'");
  const { page, context } = await openPage(ctx.browser);
  // A plain page of the same origin (the integration page's CSP rightly forbids inline scripts).
  const blank = `${ctx.url}/readme-example.html`;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>README</title>' }));
  await page.goto(blank);
  const logged = page.waitForEvent('console', (m) => m.type() === 'log');
  await page.addScriptTag({ type: 'module', content: code });
  assert.equal((await logged).text(), pkg.version);
  await context.close();
});

test('signing in with a password: a wrong one is refused clearly, repeated failures are held off, signing out ends the session', async () => {
  const { page, problems, context } = await openPage(ctx.browser);
  await page.goto(ctx.url + '/');
  await step(page, 'Sign in');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sign in', 'focus starts on the heading');
  await page.getByLabel('Name').fill('anna');
  await page.getByLabel('Password').fill('not-annas-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'Not signed in' }).waitFor();
  assert.equal(await alert.textContent(), 'Not signed in. That name and password don\'t match an administrator: check both and try again.');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'focus moves to the reason');
  await shot(page, 'signin-failed');

  await page.getByLabel('Password').fill(ADMINS.anna);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await step(page, 'Connections');
  assert.match(await page.locator('#account').textContent() ?? '', /Signed in as anna/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await step(page, 'Sign in');
  assert.equal(await page.locator('#account').textContent(), '', 'nobody is shown as signed in');
  await page.reload();
  await step(page, 'Sign in');

  // Five failures for one name within 15 minutes, and the next attempt is held off even with the
  // right password.
  /** @param {string} name @param {string} password */
  const attempt = async (name, password) => {
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForResponse('**/api/signin'), page.getByRole('button', { name: 'Sign in' }).click()]);
    return page.getByRole('alert').textContent();
  };
  for (let i = 0; i < 5; i++) assert.match(await attempt('bertil', `wrong password ${i}`) ?? '', /^Not signed in\. That name and password don't match/);
  assert.match(await attempt('bertil', ADMINS.bertil) ?? '', /^Not signed in\. Too many failed attempts; try again in \d+ minutes\.$/);
  await shot(page, 'signin-held');
  assert.deepEqual(problems.filter((p) => !/status of (401|429)/.test(p)), []);
  await context.close();
});

test('a sign-in link works once, and a used one says so', async () => {
  const token = signinLink(ctx.service.store, 'bertil');
  const first = await openPage(ctx.browser);
  await first.page.goto(`${ctx.url}/#signin=${token}`);
  await step(first.page, 'Connections');
  assert.match(await first.page.locator('#account').textContent() ?? '', /Signed in as bertil/);
  await first.context.close();
  const again = await openPage(ctx.browser);
  await again.page.goto(`${ctx.url}/#signin=${token}`);
  await step(again.page, 'Sign in');
  assert.equal(again.page.url(), `${ctx.url}/`, 'the used token is gone from the address bar too');
  assert.match(await again.page.getByRole('alert').first().textContent() ?? '', /^The sign-in link didn't work: This sign-in link was used already or has expired\./);
  await again.context.close();
});

test('a new service: the setup link creates the first administrator, who is signed in at once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crona-sync-e2e-setup-'));
  const service = await startService({ data: dir, port: 0, quiet: true });
  try {
    const { page, problems, context } = await openPage(ctx.browser);
    await page.goto(`${service.url}/`);
    await step(page, 'Set up the integration service');
    assert.match(await page.locator('main').textContent() ?? '', /Open the setup link the service printed/);
    const link = /** @type {string} */ (service.setupLink);
    assert.match(link, /\/#setup=/);
    await page.goto(link);
    await step(page, 'Create the first administrator');
    assert.equal(page.url(), `${service.url}/`, 'the setup token is gone from the address bar');
    await page.getByLabel('Your name').fill('cecilia');
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByLabel('Password again').fill('too short');
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    assert.equal(await page.locator('.field-error').filter({ hasText: 'At least 12 characters.' }).count(), 1);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'password', 'focus on the password to fix');
    await page.getByLabel('Password', { exact: true }).fill('cecilias long password');
    await page.getByLabel('Password again').fill('cecilias long passwort');
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    assert.equal(await page.locator('.field-error').filter({ hasText: 'The passwords differ.' }).count(), 1);
    await page.getByLabel('Password again').fill('cecilias long password');
    await shot(page, 'setup');
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    await step(page, 'Connections');
    assert.match(await page.locator('#account').textContent() ?? '', /Signed in as cecilia/);
    await page.getByText('No connection yet.', { exact: false }).waitFor();
    assert.equal(service.store.adminCount(), 1);
    assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
    await context.close();
  } finally {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the page and the wizard are usable on a phone-sized screen', async () => {
  const { page, context } = await signedIn(ctx, 'anna', { width: 390, height: 844 });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(await overflow(), false, 'no horizontal scrolling at 390 px');
  await page.getByRole('button', { name: 'Synchronize users' }).click();
  await step(page, 'Conflicts and missing values');
  assert.equal(await overflow(), false, 'the conflicts step fits at 390 px');
  await shot(page, 'phone-conflicts');
  const button = page.getByRole('button', { name: 'Next: create users' });
  const box390 = await button.boundingBox();
  assert.ok(box390 && box390.height >= 40, 'touch-sized buttons');
  await page.getByRole('button', { name: '‹ Connections' }).click();
  await step(page, 'Connections');
  await context.close();
});
