// In headless Chromium: from the end of fetching to the conflicts table taking input, with a
// 10,000-person register. The page marks the end of the fetch; the bench waits for the step's
// heading and the next frame, which is when a click or key would be handled.
import { chromium } from 'playwright-core';
import { startStack } from '../e2e/stack.js';
import { median } from './stats.js';

/** @param {number} people @returns {Promise<number>} */
export async function pageInteractive(people) {
  const stack = await startStack({ people, drift: 0.1 }, { bench: 'bench-has-a-long-password' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(stack.signinUrl('bench'));
      await page.getByRole('button', { name: 'Synchronize users' }).click();
      await page.getByRole('heading', { level: 2, name: 'Conflicts and missing values' }).waitFor({ timeout: 300_000 });
      const ms = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => {
        const [fetched] = performance.getEntriesByName('crona-sync:fetched');
        resolve(performance.now() - fetched.startTime);
      })));
      times.push(/** @type {number} */ (ms));
      // Leaving the wizard gives the connection back for the next round.
      await page.getByRole('button', { name: '‹ Connections' }).click();
      await page.getByRole('heading', { level: 2, name: 'Connections' }).waitFor();
      await context.close();
    }
    return median(times);
  } finally {
    await browser.close();
    await stack.close();
  }
}
