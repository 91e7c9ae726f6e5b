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
import { sendError, sendJson, statusOf } from './http-io.js';
import { relay } from './relay.js';
import { serveRelaySocket } from './relay-socket.js';
import { serveFile, DEFAULT_ROOTS } from './static.js';
import { Store } from './store.js';
import { Webhooks } from './webhooks.js';
import { Schedule } from './schedule.js';
import { Mailer } from './mail.js';
import { health as checkHealth } from './health.js';
import { stockholmDate } from '../clock.js';

const SETUP_LINK_MS = 24 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * @typedef {object} ServiceOptions
 * @property {string} [data]           the data directory (default ./crona-sync-data)
 * @property {Store} [store]           an open store instead (tests, npm start); closed with the service
 * @property {number} [port]           default 8787; 0 picks a free one
 * @property {string} [host]           default 127.0.0.1
 * @property {boolean} [trustProxy]   behind an https reverse proxy: honour X-Forwarded-Proto/Host/For
 * @property {string} [publicUrl]      the address people open (https://sync.example.se): its host is
 *   accepted besides this machine's own names; needed with trustProxy
 * @property {number} [retainDays]     run reports and errors older than this are deleted (default 90)
 * @property {Record<string, string>} [roots]   URL prefix → folder for the page's files
 * @property {Record<string, string | undefined>} [env]
 * @property {typeof fetch} [fetch]
 * @property {(line: string) => void} [log]     default: stdout
 * @property {boolean} [quiet]
 * @property {() => Date} [now]         the service's clock (tests run a day in milliseconds)
 * @property {number} [debounceMs]      quiet time before a webhook burst is pushed (default 2000)
 * @property {number} [scheduleCheckMs] how often the schedule looks at the clock (default 30 s)
 */

/**
 * Starts the service. Prints (logs) a one-time setup link while no administrator exists.
 * @param {ServiceOptions} options
 */
export async function startService(options = {}) {
  if (options.trustProxy && !options.publicUrl) {
    throw new CronaSyncError('usage', 'Behind a reverse proxy (--trust-proxy), give the address people open with --public-url https://…: only requests for it are served.');
  }
  const publicHost = options.publicUrl ? publicHostOf(options.publicUrl) : null;
  const store = options.store ?? Store.open(options.data ?? 'crona-sync-data', { env: options.env });
  const log = options.quiet ? () => {} : options.log ?? ((/** @type {string} */ line) => process.stdout.write(`${new Date().toISOString()} ${visible(line)}\n`));
  const auth = new Auth({ store, trustProxy: Boolean(options.trustProxy) });
  const roots = options.roots ?? DEFAULT_ROOTS;
  /** @type {Map<string, ReturnType<typeof connectionTransports>>} the relay's transports, per run (its lease token) */
  const cache = new Map();
  /**
   * The transports of the run holding the connection's lease, built from the settings as they
   * are when it first relays: settings can't change under a run (an edit takes the lease).
   * @param {number} id @param {unknown} token
   */
  const transportsOf = (id, token) => {
    // The common case, once per relayed request: the run's transports are built already.
    const built = typeof token === 'string' ? cache.get(token) : undefined;
    if (built && store.holdsLease(id, /** @type {string} */ (token))) return built;
    const c = store.connection(id);
    if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`, { connection: id });
    if (typeof token !== 'string' || !store.holdsLease(id, token)) {
      if (typeof token === 'string') cache.delete(token);
      throw new CronaSyncError('relay_needs_run', 'The relay forwards only for the run holding the connection: start a sync or push first (another run may have taken the connection over).', { connection: id });
    }
    let t = cache.get(token);
    if (!t) cache.set(token, (t = connectionTransports(store, c, { fetch: options.fetch })));
    return t;
  };
  const now = options.now ?? (() => new Date());
  const mailer = new Mailer(store, log);
  /** @type {(c: import('./store.js').StoredConnection, kind: string, report: any) => void} */
  const reported = (c, kind, report) => void mailer.afterRun(c, kind, report);
  const webhooks = new Webhooks({ store, log, today: () => stockholmDate(now()), debounceMs: options.debounceMs, reported });
  const schedule = new Schedule({ store, log, now, checkMs: options.scheduleCheckMs, reported });
  const ctx = { store, auth, webhooks, schedule, mailer, forget: (/** @type {string} */ token) => cache.delete(token), fetch: options.fetch };

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
      if (error instanceof CronaSyncError && error.code === 'client_gone') return;
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
    auth.checkHost(req);
    const rawPath = String(req.url ?? '/').split('?')[0];
    // A backslash is a separator to URL parsing, and an encoded slash, backslash or NUL would
    // become one further on: none is part of any path this service or the APIs behind it serve.
    if (!rawPath.startsWith('/') || /\\|%5c|%2f|%00/i.test(rawPath) || rawPath.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg))) {
      throw new CronaSyncError('invalid_request', 'A path may not contain ".", ".." or encoded "/" segments, or a backslash.');
    }
    /** @type {URL} */
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://service.invalid');
    } catch {
      throw new CronaSyncError('invalid_request', 'The request\'s address doesn\'t parse.');
    }
    const path = url.pathname;
    if (path === '/healthz' && req.method === 'GET') return health(res);
    const hook = /^\/webhooks\/(\d+)$/.exec(path);
    if (hook) {
      // Huma calls this, not a person: its signature is its credential.
      if (req.method !== 'POST') throw new CronaSyncError('method_not_allowed', 'Webhooks are POSTed.');
      try {
        const answer = await webhooks.receive(req, Number(hook[1]));
        return sendJson(res, answer.status, answer.body);
      } catch (error) {
        const status = error instanceof CronaSyncError ? /** @type {any} */ (error.details)?.status : undefined;
        if (typeof status === 'number') return sendJson(res, status, { error: { code: /** @type {CronaSyncError} */ (error).code, message: /** @type {CronaSyncError} */ (error).message } });
        throw error;
      }
    }
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
      return relay(req, res, { system, path: relayed[3], search: url.searchParams, transports: transportsOf(id, req.headers['x-crona-sync-lease']), check: (r) => {
        const refusal = claimRefusal(store, id, r);
        if (refusal) throw refusal;
      } });
    }
    return serveFile(req, res, path, roots);
  }

  // The page's relay socket: the same checks as the relay's HTTP requests (host, origin, session;
  // the lease and the request in each message), then serveRelaySocket.
  /** @type {Set<import('node:stream').Duplex>} upgraded sockets: closing the server doesn't end them */
  const upgraded = new Set();
  server.on('upgrade', (req, raw, head) => {
    upgraded.add(raw);
    raw.on('close', () => upgraded.delete(raw));
    try {
      auth.checkHost(req);
      const socket = /^\/relay\/(\d+)\/socket$/.exec(String(req.url ?? ''));
      if (!socket || String(req.headers.upgrade).toLowerCase() !== 'websocket') throw new CronaSyncError('not_found', 'The relay\'s socket is /relay/<connection>/socket.');
      // A socket has no CORS: a page elsewhere could open one with our cookie, so its origin must be ours.
      if (req.headers.origin !== auth.origin(req)) throw new CronaSyncError('cross_origin_refused', 'This socket was opened from another site and was refused.', { origin: req.headers.origin ?? null });
      auth.require(req);
      const id = Number(socket[1]);
      serveRelaySocket(req, raw, head, {
        log,
        resolve: (lease) => {
          auth.require(req);
          return { transports: transportsOf(id, lease), check: (r) => {
            const refusal = claimRefusal(store, id, r);
            if (refusal) throw refusal;
          } };
        },
      });
    } catch (error) {
      const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', 'The service failed; its log says why.');
      const body = JSON.stringify({ error: { code: e.code, message: e.message, details: e.details ?? null } });
      raw.end(`HTTP/1.1 ${statusOf(e.code)} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
  });

  /** @param {import('node:http').IncomingMessage} req */
  function address(req) {
    // The proxy appends the address it saw: the last entry is the one to believe.
    const forwarded = options.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() ?? '' : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  /** @param {import('node:http').ServerResponse} res */
  function health(res) {
    try {
      sendJson(res, 200, checkHealth(store, webhooks, now));
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
  // Only this machine's own names and the public address: a page elsewhere whose name was made to
  // point here (DNS rebinding) gets nothing.
  auth.allowHosts([`127.0.0.1:${a.port}`, `localhost:${a.port}`, `[::1]:${a.port}`, `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`, ...(publicHost ? [publicHost] : [])]);
  log(`crona-sync service on ${url} — data in ${store.dir}`);
  webhooks.replay();
  schedule.start();
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
    schedule,
    async close() {
      clearInterval(pruning);
      await schedule.stop();
      await webhooks.stop();
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections?.();
        for (const raw of upgraded) raw.destroy();
      });
      store.close();
    },
  };
}

/** The host (and port, unless the scheme's default) of the public address. @param {string} text */
function publicHostOf(text) {
  try {
    const u = new URL(text);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
    return u.host;
  } catch {
    throw new CronaSyncError('usage', `--public-url must be the address people open, like https://sync.example.se; got ${JSON.stringify(text)}.`);
  }
}
