// Sends one core request over HTTP: base URL, auth header, timeout, retries. Shared by the Huma
// and Crona transports; what differs between them is only how they authenticate.
import { CronaSyncError } from './errors.js';
import { RateGate } from './rate-gate.js';
import {
  DEFAULT_RETRY,
  backoffMs,
  isIdempotent,
  isRetryableStatus,
  parseRetryAfter,
  retryAfterJitterMs,
  sleep,
} from './retry.js';

/**
 * @typedef {import('../index.js').HttpRequest & { form?: string }} HttpRequest  form: an urlencoded body (token requests)
 * @typedef {import('../index.js').HttpResponse} HttpResponse
 * @typedef {import('../index.js').System} System
 * @typedef {import('./retry.js').RetryPolicy} RetryPolicy
 */

/**
 * @typedef {object} Auth
 * @property {(signal?: AbortSignal) => Promise<string>} header   the Authorization header value
 * @property {(rejected: string, signal?: AbortSignal) => Promise<boolean>} renew   after a 401 for the
 *   header `rejected`: true if a retry may help (a newer credential may already be in place)
 */

/**
 * @typedef {object} SenderOptions
 * @property {System} system
 * @property {string} baseUrl
 * @property {Auth} [auth]
 * @property {typeof fetch} [fetch]
 * @property {number} [timeoutMs]          per attempt (default 30 000)
 * @property {Partial<RetryPolicy>} [retry]
 * @property {() => number} [random]       for the jitter (default Math.random)
 * @property {RateGate} [gate]             shared by the senders of one system (default: its own)
 * @property {() => number} [clock]        monotonic ms for the rate-limit budget (default performance.now)
 * @property {Record<string, string>} [headers]  sent with every request (the relay's lease token)
 * @property {boolean} [relay]             the base URL is the integration service's same-origin relay: the
 *   page's session cookie goes along (the service attaches the real credentials), and the page's own
 *   origin may be plain http
 */

const NAMES = { huma: 'Huma', crona: 'Crona' };
/** The body of an answer that never came. */
const EMPTY = new Uint8Array(0);

/**
 * Checks and normalises a base URL (no trailing slash).
 * @param {string} baseUrl
 * @param {System} system
 */
export function checkBaseUrl(baseUrl, system, { relay = false } = {}) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CronaSyncError('invalid_base_url', `${NAMES[system]} base URL ${JSON.stringify(withoutUserInfo(String(baseUrl)))} is not a URL.`, { system });
  }
  // fetch refuses such URLs, and they would put a secret wherever the URL is shown or stored.
  if (url.username || url.password) {
    throw new CronaSyncError('invalid_base_url',
      `${NAMES[system]} base URL must not contain a user name or password (got ${url.protocol}//***@${url.host}). ` +
      'Give only the address; credentials go in the environment or the secrets file (or the connection form).',
      { system });
  }
  // Credentials travel with every request: plain http only to this machine (the sandbox).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (relay && (url.protocol === 'http:' || url.protocol === 'https:')) return url.href.replace(/\/+$/, '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CronaSyncError('invalid_base_url', `${NAMES[system]} base URL must start with https:// (got ${url.protocol}//${url.host}): the credentials travel with every request, so only an encrypted address is used (plain http only on this machine, for the sandbox).`, { system });
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The text with anything that looks like user info ("user:password@" after the scheme) masked, for
 * messages about a base URL that doesn't parse.
 * @param {string} text
 */
function withoutUserInfo(text) {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/*/i.exec(text)?.[0] ?? '';
  return `${scheme}***${text.slice(at)}`;
}

/**
 * Joins base URL, path and query (arrays become repeated keys, as Huma expects).
 * @param {string} base
 * @param {HttpRequest} request
 */
export function requestUrl(base, request) {
  if (!request.path.startsWith('/') || request.path.startsWith('//')) {
    throw new CronaSyncError('invalid_request', `Request path must start with one "/": ${JSON.stringify(request.path)}`);
  }
  // "." and ".." segments (also percent-encoded) would let a path reach another endpoint.
  const segments = request.path.split('/').map((segment) => segment.replace(/%2e/gi, '.'));
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new CronaSyncError('invalid_request', `Request path may not contain "." or ".." segments: ${JSON.stringify(request.path)}`);
  }
  const url = new URL(base + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) url.searchParams.append(key, String(item));
    }
  }
  return url;
}

/** @param {Headers} headers */
function headerObject(headers) {
  /** @type {Record<string, string>} */
  const out = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/**
 * @param {SenderOptions} options
 * @returns {(request: HttpRequest, options?: { signal?: AbortSignal }) => Promise<HttpResponse>}
 */
export function createSender(options) {
  const system = options.system;
  const base = checkBaseUrl(options.baseUrl, system, { relay: options.relay });
  const credentials = options.relay ? 'same-origin' : 'omit';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const gate = options.gate ?? new RateGate();
  const clock = options.clock ?? (() => performance.now());
  const name = NAMES[system];

  return async function send(request, { signal } = {}) {
    const url = requestUrl(base, request);
    const label = `${name} ${request.method} ${request.path}`;
    const body =
      request.form ??
      (request.body === undefined || request.body === null
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body));
    const contentType = request.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
    let renewed = false;
    let retry = 0;
    /** 429s without Retry-After so far: their back-off grows. */
    let bareLimits = 0;
    /** 429 answers to this request. */
    let rateLimited = 0;
    /** When this request was first asked to wait by a 429 (clock ms); the budget runs from there. */
    /** @type {number | null} */
    let limitedSince = null;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      /** @type {Record<string, string>} */
      const headers = { ...options.headers, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = contentType;
      // The credential before the gate: getting it may itself need the gate (Huma's token request).
      if (options.auth) headers.authorization = await options.auth.header(signal);

      /** @type {import('./rate-gate.js').GateTicket} */
      let ticket;
      try {
        ticket = await gate.enter(signal);
      } catch (error) {
        throwIfAborted(signal);
        throw error;
      }
      /** @type {Response | null} */
      let response = null;
      /** @type {string} */
      let failure = '';
      /** The body as it came off the wire: the core reads these bytes itself (no UTF-16 detour). */
      let bytes = EMPTY;
      /** @type {number | null} */
      let asked = null;
      /** @type {number | null} */
      let pauseMs = null;
      try {
        const attemptSignal = signal
          ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs);
        try {
          // Never the browser's cookies or login prompts: the transports carry their own credentials
          // (only the relay gets the page's session, and the service adds the real ones).
          // Never a redirect: a 307 would send the body (a secret, a bank account) to another host.
          response = await doFetch(url, { method: request.method, headers, body, signal: attemptSignal, credentials, redirect: 'manual' });
          bytes = new Uint8Array(await response.arrayBuffer());
        } catch (error) {
          throwIfAborted(signal);
          response = null;
          failure = describeNetworkError(error, timeoutMs);
        }
        asked = response ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : null;
        if (response?.status === 429 && asked === null) {
          // No Retry-After (Huma documents none): wait our own growing back-off, as if asked.
          asked = Math.max(policy.baseDelayMs, backoffMs(bareLimits++, policy, random));
        }
        if (asked !== null && asked <= policy.maxRetryAfterMs && (response?.status === 429 || response?.status === 503)) {
          // Rate limited or unavailable: the whole system waits what the server asked, not just this
          // request (the gate also halves its window on a 429).
          pauseMs = asked + retryAfterJitterMs(asked, policy, random);
        }
      } finally {
        gate.leave(/** @type {import('./rate-gate.js').GateTicket} */ (ticket), { limited: response?.status === 429, pauseMs }, response !== null);
      }
      if (response?.status === 429) rateLimited++;
      const ended = { request, response, bytes, failure, attempts: attempt, rateLimited };

      if (response && response.status === 401 && options.auth && !renewed) {
        renewed = true;
        if (await options.auth.renew(headers.authorization ?? '', signal)) continue;
      }

      const retryable = response ? isRetryableStatus(response.status, request) : isIdempotent(request);
      if (!retryable) return finish(ended, '');
      if (asked !== null && asked > policy.maxRetryAfterMs) {
        return finish(ended,
          `${label}: the server asked to wait ${Math.ceil(asked / 1000)} s, more than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s limit; gave up`);
      }
      if (response?.status === 429 && asked !== null) {
        // Rate limited with a wait we can live with: the time budget decides, not the retry count.
        const now = clock();
        limitedSince ??= now;
        const spent = now - limitedSince;
        // A budget of 0 (the service's relay) never waits, not even for a "Retry-After: 0".
        if (policy.rateLimitBudgetMs === 0 || spent + asked > policy.rateLimitBudgetMs) {
          const more = asked > 0 ? ` (and asked to wait ${Math.ceil(asked / 1000)} s more)` : '';
          return finish(ended,
            `${label}: rate limited for ${Math.round(spent / 1000)} s${more}, past the ${Math.round(policy.rateLimitBudgetMs / 1000)} s budget; gave up after ${attempt} attempts`);
        }
        continue; // the gate holds this attempt (and every other one) until the pause is over
      }
      if (retry >= policy.retries) return finish(ended, `${label}: gave up after ${attempt} attempts`);
      retry++;
      if (pauseMs !== null) continue; // a 503 with Retry-After: the gate's pause is the wait
      // A 502/504 that says when to come back is taken at its word; otherwise back off.
      const wait = asked !== null ? asked + retryAfterJitterMs(asked, policy, random) : backoffMs(retry - 1, policy, random);
      try {
        await sleep(wait, signal);
      } catch {
        throwIfAborted(signal);
      }
    }
  };
}

/**
 * @param {{ request: HttpRequest, response: Response | null, bytes: Uint8Array, failure: string, attempts: number, rateLimited: number }} ended
 * @param {string} gaveUp
 * @returns {HttpResponse & { body: Uint8Array }}
 */
function finish({ request, response, bytes, failure, attempts, rateLimited }, gaveUp) {
  if (!response) {
    return {
      id: request.id,
      status: 0,
      headers: {},
      body: EMPTY,
      attempts,
      rateLimited,
      error: { code: 'network_error', message: gaveUp ? `${gaveUp}: ${failure}` : failure },
    };
  }
  /** @type {HttpResponse & { body: Uint8Array }} */
  const out = { id: request.id, status: response.status, headers: headerObject(response.headers), body: bytes, attempts, rateLimited };
  if (gaveUp) out.error = { code: 'retries_exhausted', message: `${gaveUp} (last status ${response.status})` };
  return out;
}

/** @param {unknown} error @param {number} timeoutMs */
function describeNetworkError(error, timeoutMs) {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const code = cause && 'code' in cause ? ` (${String(cause.code)})` : '';
  return `connection failed${code}: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`;
}

/** @param {AbortSignal | undefined} signal */
export function throwIfAborted(signal) {
  if (signal?.aborted) {
    throw new CronaSyncError('aborted', 'The sync was cancelled.', null, { cause: signal.reason });
  }
}

/**
 * A response body as text: a transport's bytes decoded as UTF-8 (a bad byte becomes U+FFFD), a
 * string as it is.
 * @param {string | Uint8Array | undefined | null} body
 * @returns {string}
 */
export function bodyText(body) {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : utf8.decode(body);
}
const utf8 = new TextDecoder();

/**
 * Parses a response body that should be JSON; null when it isn't.
 * @param {string | Uint8Array | undefined | null} body
 * @returns {any}
 */
export function jsonOrNull(body) {
  try {
    return JSON.parse(bodyText(body));
  } catch {
    return null;
  }
}
