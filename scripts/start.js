// npm start: the sandbox (Huma and Crona emulated, with Swedish sample data) and the integration
// service over a throwaway data directory, with the sandbox connection already saved and one
// administrator, then one printed link that signs the newcomer in and opens the ready page.
// PORT (default 8080), SEED, PEOPLE and DRIFT choose the service's port and the sample data.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAdmin, addConnection, signinLink } from '../pkg/lib/service/bootstrap.js';
import { startService } from '../pkg/lib/service/server.js';
import { Store } from '../pkg/lib/service/store.js';
import { startSandbox } from '../tests/sandbox/index.js';

/** @param {string} name @param {number} fallback */
function envNumber(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number; got ${JSON.stringify(text)}`);
  return n;
}

const box = await startSandbox({ port: 0, seed: envNumber('SEED', 1), people: envNumber('PEOPLE', 60), drift: envNumber('DRIFT', 0), staticRoots: {}, quiet: true });
const home = mkdtempSync(join(tmpdir(), 'crona-sync-start-'));
const store = Store.open(join(home, 'data'), { env: {} });
const c = box.credentials;
await addAdmin(store, 'newcomer', randomBytes(24).toString('base64url'));
await addConnection(store, {
  name: 'Sandbox (sample data)',
  huma: { baseUrl: box.humaUrl, clientId: c.huma.clientId, clientSecret: c.huma.clientSecret },
  crona: { baseUrl: box.cronaUrl, activationCode: c.crona.activationCode },
  group: null,
});
const service = await startService({ store, port: envNumber('PORT', 8080), quiet: true });
process.stdout.write(`\nThe integration service runs with a sandbox connection (Huma and Crona emulated at ${box.url}).\n`
  + `Data: ${store.dir} (thrown away when this stops). Ctrl-C stops.\n\n`
  + `Open: ${service.url}/#signin=${signinLink(store, 'newcomer')}\n\n`);

const stop = async () => {
  await service.close();
  await box.close();
  rmSync(home, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
