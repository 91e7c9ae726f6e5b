// The integration service: one Node process, the single home of every connection. It serves the
// page (www/) and the package's browser files, the JSON API (api.js), the same-origin relay
// (relay.js) and /healthz, over one store (store.js). The core runs in the page; the service
// stores, relays and authenticates, and decides nothing about people.
import { createServer } from 'node:http';
import { CronaSyncError } from '../errors.js';
import { visible } from '../text.js';
import { ROUTES } from './api.js';
import { Auth } from './auth.js';
import { claimRefusal } from './claims.js';
import { connectionTransports } from './connections.js';
import { sendError, sendJson } from './http-io.js';
import { relay } from './relay.js';
import { serveFile, DEFAULT_ROOTS } from './static.js';
import { Store } from './store.js';

const SETUP_LINK_MS = 24 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * @typedef {object} ServiceOptions
 * @property {string} [data]           the data directory (default ./crona-sync-data)
 * @property {Store} [store]           an open store instead (tests, npm start); closed with the service
 * @property {number} [port]           default 8787; 0 picks a free one
 * @property {string} [host]           default 127.0.0.1
 * @property {boolean} [trustProxy]   behind an https reverse proxy: honour X-Forwarded-Proto/Host/For
 * @property {number} [retainDays]     run reports and errors older than this are deleted (default 90)
 * @property {Record<string, string>} [roots]   URL prefix → folder for the page's files
 * @property {Record<string, string | undefined>} [env]
 * @property {typeof fetch} [fetch]
 * @property {(line: string) => void} [log]     default: stdout
 * @property {boolean} [quiet]
 */

/**
 * Starts the service. Prints (logs) a one-time setup link while no administrator exists.
 * @param {ServiceOptions} options
 */
export async function startService(options = {}) {
  const store = options.store ?? Store.open(options.data ?? 'crona-sync-data', { env: options.env });
  const log = options.quiet ? () => {} : options.log ?? ((/** @type {string} */ line) => process.stdout.write(`${new Date().toISOString()} ${visible(line)}\n`));
  const auth = new Auth({ store, trustProxy: Boolean(options.trustProxy) });
  const roots = options.roots ?? DEFAULT_ROOTS;
  /** @type {Map<number, ReturnType<typeof connectionTransports>>} the relay's transports, per connection */
  const cache = new Map();
  const transportsOf = (/** @type {number} */ id) => {
    const c = store.connection(id);
    if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`, { connection: id });
    let t = cache.get(id);
    if (!t) cache.set(id, (t = connectionTransports(store, c, { fetch: options.fetch })));
    return t;
  };
  const ctx = { store, auth, forget: (/** @type {number} */ id) => cache.delete(id), fetch: options.fetch };

  const retainDays = options.retainDays ?? 90;
  const prune = () => {
    const n = store.prune(retainDays);
    if (n) log(`deleted ${n} run report(s) older than ${retainDays} days`);
  };
  prune();
  const pruning = setInterval(prune, DAY_MS);
  pruning.unref();

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!(error instanceof CronaSyncError)) log(`internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : error}`);
      else if (error.code === 'internal_error') log(`internal error on ${req.method} ${req.url}: ${error.message}`);
      /** @type {Record<string, string>} */
      const retry = error instanceof CronaSyncError && error.code === 'too_many_attempts' ? { 'retry-after': String(/** @type {any} */ (error.details)?.retryAfterSeconds ?? 900) } : {};
      sendError(res, error, retry);
    });
  });

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handle(req, res) {
    // URL parsing would resolve "." and ".." (also encoded): such a path is refused as sent, so
    // what is routed is always what was asked for.
    const rawPath = String(req.url ?? '/').split('?')[0];
    if (rawPath.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg))) {
      throw new CronaSyncError('invalid_request', 'A path may not contain "." or ".." segments.');
    }
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const path = url.pathname;
    if (path === '/healthz' && req.method === 'GET') return health(res);
    if (path.startsWith('/api/')) {
      const route = ROUTES.find((r) => r.re.test(path) && r.method === req.method);
      if (!route) {
        const known = ROUTES.some((r) => r.re.test(path));
        throw new CronaSyncError(known ? 'method_not_allowed' : 'not_found', known ? `${req.method} isn't allowed on ${path}.` : `There is no ${path}.`);
      }
      auth.checkOrigin(req);
      const admin = route.open ? null : auth.require(req);
      const params = /** @type {RegExpExecArray} */ (route.re.exec(path)).slice(1);
      const answer = await route.run(ctx, { req, params, admin, address: address(req) });
      return sendJson(res, answer.status, answer.body, answer.headers);
    }
    const relayed = /^\/relay\/(\d+)\/(huma|crona)(\/.*)$/.exec(path);
    if (relayed || path.startsWith('/relay/')) {
      if (!relayed) throw new CronaSyncError('relay_not_allowed', 'Relay paths are /relay/<connection>/huma/… or /relay/<connection>/crona/….');
      auth.require(req);
      auth.checkOrigin(req);
      const system = /** @type {'huma' | 'crona'} */ (relayed[2]);
      const id = Number(relayed[1]);
      return relay(req, res, { system, path: relayed[3], search: url.searchParams, transports: transportsOf(id), check: (r) => {
        const refusal = claimRefusal(store, id, r);
        if (refusal) throw refusal;
      } });
    }
    return serveFile(req, res, path, roots);
  }

  /** @param {import('node:http').IncomingMessage} req */
  function address(req) {
    const forwarded = options.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  /** @param {import('node:http').ServerResponse} res */
  function health(res) {
    try {
      const connections = store.connections().length;
      sendJson(res, 200, { status: 'ok', store: 'ok', connections });
    } catch {
      sendJson(res, 503, { status: 'needs_attention', store: 'unavailable' });
    }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const a = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  log(`crona-sync service on ${url} — data in ${store.dir}`);
  /** @type {string | null} */
  let setupLink = null;
  if (store.adminCount() === 0) {
    setupLink = `${url}/#setup=${store.createLink('setup', null, SETUP_LINK_MS)}`;
    log(`no administrator yet: open ${setupLink} within 24 hours to create the first one (the link works once)`);
  }
  return {
    url,
    store,
    setupLink,
    async close() {
      clearInterval(pruning);
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections?.();
      });
      store.close();
    },
  };
}
