// The sandbox and the integration service in front of it, as `npm start` runs them: a throwaway
// data directory, administrators, the sandbox connection ready, one-time sign-in links. Shared by
// the page tests and the page benchmark.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAdmin, addConnection, signinLink } from '../../pkg/lib/service/bootstrap.js';
import { startService } from '../../pkg/lib/service/server.js';
import { startSandbox } from '../sandbox/index.js';

export const SANDBOX_CONNECTION = 'Sandbox (sample data)';

/**
 * @typedef {object} Stack
 * @property {Awaited<ReturnType<typeof startSandbox>>} box
 * @property {Awaited<ReturnType<typeof startService>>} service
 * @property {string} url  the service: the page, the API and the relay
 * @property {string} dir  the service's data directory (the CLI's `--data`)
 * @property {{ humaUrl: string, cronaUrl: string, credentials: { huma: { clientId: string, clientSecret: string }, crona: { activationCode: string } } }} sandbox  absolute URLs
 * @property {number} connectionId  the sandbox connection
 * @property {() => Promise<number>} freshConnection  the sandbox connection again, with no state, runs or errors (sets connectionId)
 * @property {(admin: string) => string} signinUrl  a one-time link that signs the page in
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {Pick<import('../../pkg/lib/service/server.js').ServiceOptions, 'now' | 'debounceMs' | 'scheduleCheckMs'>} StackServiceOptions
 *   the service's clock, webhook debounce and schedule check, for tests that run the day faster
 */

/**
 * @param {Parameters<typeof startSandbox>[0]} sandboxOptions
 * @param {Record<string, string>} admins  name → password
 * @param {StackServiceOptions} [serviceOptions]
 * @returns {Promise<Stack>}
 */
export async function startStack(sandboxOptions, admins, serviceOptions = {}) {
  const box = await startSandbox({ quiet: true, ...sandboxOptions });
  const dir = await mkdtemp(join(tmpdir(), 'crona-sync-e2e-'));
  const service = await startService({ ...serviceOptions, data: dir, port: 0, quiet: true });
  const info = await (await fetch(`${box.url}/_sandbox/info`)).json();
  const sandbox = { humaUrl: new URL(info.humaUrl, box.url).href, cronaUrl: new URL(info.cronaUrl, box.url).href, credentials: info.credentials };
  for (const [name, password] of Object.entries(admins)) await addAdmin(service.store, name, password);
  /** @type {Stack} */
  const stack = {
    box,
    service,
    url: service.url,
    dir,
    sandbox,
    connectionId: 0,
    async freshConnection() {
      for (const c of service.store.connections()) service.store.removeConnection(c.id);
      this.connectionId = await addConnection(service.store, {
        name: SANDBOX_CONNECTION,
        huma: { baseUrl: sandbox.humaUrl, clientId: sandbox.credentials.huma.clientId, clientSecret: sandbox.credentials.huma.clientSecret },
        crona: { baseUrl: sandbox.cronaUrl, activationCode: sandbox.credentials.crona.activationCode },
        group: null,
      });
      return this.connectionId;
    },
    signinUrl: (admin) => `${service.url}/#signin=${signinLink(service.store, admin)}`,
    async close() {
      await service.close();
      await box.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await stack.freshConnection();
  return stack;
}
