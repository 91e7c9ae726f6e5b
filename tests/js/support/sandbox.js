// Starts a sandbox for one test file on a free loopback port, and reads its inspection endpoint.
import { after } from 'node:test';
import { startSandbox } from '../../sandbox/index.js';

/**
 * @param {Parameters<typeof startSandbox>[0]} [options]
 */
export async function sandbox(options = {}) {
  const box = await startSandbox({ quiet: true, ...options });
  after(() => box.close());
  return {
    ...box,
    /** @param {string} path @param {unknown} [body] @param {string} [method] */
    async control(path, body, method = 'POST') {
      const response = await fetch(`${box.url}/_sandbox/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`sandbox control ${path}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text ? JSON.parse(text) : null;
    },
    /** @param {object[]} rules */
    faults(rules) {
      return this.control('faults', { rules });
    },
    clearFaults() {
      return this.control('faults', undefined, 'DELETE');
    },
    /** @param {number} [since] @returns {Promise<any>} */
    async inspect(since) {
      const response = await fetch(`${box.url}/_sandbox/inspect${since ? `?since=${since}` : ''}`);
      return response.json();
    },
  };
}
