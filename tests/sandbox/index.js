// The sandbox: one local HTTP server emulating the Huma Open API (/huma) and the Crona Lön API (/crona) over
// deterministic Swedish sample data, with controls (/_sandbox) and the static files of www/ and pkg/.
//
//   const sb = await startSandbox({ people: 40 });
//   // sb.humaUrl, sb.cronaUrl, sb.credentials.huma.clientId …, sb.planted, sb.drifted (with { drift: 0.1 })
//   sb.setWebhooks({ url: 'http://127.0.0.1:9999/hook', secret: 's' }); … await sb.webhooksIdle();
//   await sb.close();

import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isDate } from './dates.js';
import { createState } from './state.js';
import { createHandler } from './server.js';
import { credentials, inspect, updateSettings, reset, isDrift } from './control.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @typedef {Object} SandboxOptions
 * @property {number} [port]      0 = any free port
 * @property {string} [host]      default 127.0.0.1
 * @property {number} [seed]      default 1
 * @property {number} [people]    base persons, default 40 (every planted case exists from about 40)
 * @property {string} [today]     YYYY-MM-DD, default 2026-11-25: position status and Slutat are computed against it
 * @property {number} [drift]     0..1, default 0: the share of plain matched persons given one difference (see data/drift.js)
 * @property {Record<string, string>} [staticRoots]  URL prefix → directory; default { '/': <repo>/www, '/pkg/': <repo>/pkg }
 * @property {boolean} [quiet]    default true; false logs every API request to stderr
 * @property {import('./webhooks/config.js').WebhookConfigInput} [webhooks]  a receiver for Huma's profile webhooks
 */

/**
 * @typedef {Object} Sandbox
 * @property {string} url
 * @property {string} humaUrl
 * @property {string} cronaUrl
 * @property {{ huma: { clientId: string, clientSecret: string }, crona: { activationCode: string } }} credentials  (current data)
 * @property {import('./types.js').PlantedCase[]} planted  (current data)
 * @property {import('./types.js').DriftedCase[]} drifted  the persons `drift` gave one difference (current data; never in `planted`)
 * @property {() => Promise<void>} close
 * @property {(opts?: { seed?: number, people?: number, today?: string, drift?: number }) => void} reset
 * @property {(patch: Partial<import('./types.js').Settings>) => import('./types.js').Settings} setSettings
 * @property {(rules: import('./faults.js').FaultRuleInput[]) => void} addFaults
 * @property {() => void} clearFaults
 * @property {() => void} revokeTokens
 * @property {(opts?: { since?: number, data?: boolean }) => Record<string, unknown>} inspect
 * @property {(config: import('./webhooks/config.js').WebhookConfigInput) => WebhooksView} setWebhooks  register the receiver (replaces)
 * @property {() => WebhooksView} clearWebhooks  remove it; cancels what is queued or in flight
 * @property {() => WebhooksView} webhooks       the receiver (secret and token as "***") and the deliveries
 * @property {() => Promise<void>} webhooksIdle  resolves once no webhook is queued or in flight
 */

/** @typedef {ReturnType<import('./webhooks/queue.js').Webhooks['view']>} WebhooksView */

/**
 * Starts the sandbox and resolves once it listens.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function startSandbox(options = {}) {
  const { port = 0, host = '127.0.0.1', seed = 1, people = 40, today = '2026-11-25', drift = 0, quiet = true } = options;
  if (!Number.isSafeInteger(seed)) throw new TypeError('seed must be an integer');
  if (!Number.isInteger(people) || people < 0) throw new TypeError('people must be a non-negative integer');
  if (!isDate(today)) throw new TypeError('today must be a date YYYY-MM-DD');
  if (!isDrift(drift)) throw new TypeError('drift must be a number in 0..1');
  const staticRoots = options.staticRoots ?? { '/': path.join(REPO, 'www'), '/pkg/': path.join(REPO, 'pkg') };
  const state = createState({ seed, people, today, drift }, quiet);
  if (options.webhooks) state.webhooks.configure(options.webhooks);

  let url = '';
  const urls = () => ({ url, humaUrl: `${url}/huma`, cronaUrl: `${url}/crona` });
  const server = createServer(createHandler(state, staticRoots, urls));
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${shownHost}:${address.port}`;

  return {
    url,
    humaUrl: `${url}/huma`,
    cronaUrl: `${url}/crona`,
    get credentials() { return credentials(state); },
    get planted() { return state.world.planted; },
    get drifted() { return state.world.drifted; },
    close: async () => {
      state.webhooks.close();
      state.pause.lift();
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
      await state.webhooks.idle();
    },
    reset: (opts) => reset(state, opts ?? {}),
    setSettings: (patch) => updateSettings(state, patch),
    addFaults: (rules) => { state.faults.add(rules, Date.now()); },
    clearFaults: () => state.faults.clear(),
    revokeTokens: () => state.tokens.revokeAll(),
    inspect: (opts) => inspect(state, opts),
    setWebhooks: (config) => state.webhooks.configure(config),
    clearWebhooks: () => state.webhooks.remove(),
    webhooks: () => state.webhooks.view(),
    webhooksIdle: () => state.webhooks.idle(),
  };
}
