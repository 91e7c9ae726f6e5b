// Sends one core request over HTTP: base URL, auth header, timeout, retries. Shared by the Huma
// and Crona transports; what differs between them is only how they authenticate.
import { CronaSyncError } from './errors.js';
import {
  DEFAULT_RETRY,
  backoffMs,
  isIdempotent,
  isRetryableStatus,
  parseRetryAfter,
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
 */

const NAMES = { huma: 'Huma', crona: 'Crona' };

/**
 * Checks and normalises a base URL (no trailing slash).
 * @param {string} baseUrl
 * @param {System} system
 */
export function checkBaseUrl(baseUrl, system) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CronaSyncError('invalid_base_url', `${NAMES[system]} base URL ${JSON.stringify(baseUrl)} is not a URL.`, { system });
  }
  // Credentials travel with every request: plain http only to this machine (the sandbox).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CronaSyncError('invalid_base_url', `${NAMES[system]} base URL must start with https:// (got ${url.protocol}//${url.host}).`, { system });
  }
  return url.href.replace(/\/+$/, '');
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
  const base = checkBaseUrl(options.baseUrl, system);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
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
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      /** @type {Record<string, string>} */
      const headers = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = contentType;
      if (options.auth) headers.authorization = await options.auth.header(signal);

      /** @type {Response | null} */
      let response = null;
      /** @type {string} */
      let failure = '';
      const attemptSignal = signal
        ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs);
      let text = '';
      try {
        // Never the browser's cookies or login prompts: the transports carry their own credentials.
        response = await doFetch(url, { method: request.method, headers, body, signal: attemptSignal, credentials: 'omit' });
        text = await response.text();
      } catch (error) {
        throwIfAborted(signal);
        response = null;
        failure = describeNetworkError(error, timeoutMs);
      }

      if (response && response.status === 401 && options.auth && !renewed) {
        renewed = true;
        if (await options.auth.renew(headers.authorization ?? '', signal)) continue;
      }

      const retryable = response ? isRetryableStatus(response.status, request) : isIdempotent(request);
      if (!retryable || retry >= policy.retries) {
        return finish(request, response, text, failure, attempt, retryable ? `${label}: gave up after ${attempt} attempts` : '');
      }
      let wait = backoffMs(retry, policy, random);
      const asked = response ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : null;
      if (asked !== null) {
        if (asked > policy.maxRetryAfterMs) {
          return finish(request, response, text, failure, attempt,
            `${label}: the server asked to wait ${Math.ceil(asked / 1000)} s, more than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s limit; gave up`);
        }
        // Honour the server's wait; the jitter keeps clients that were told the same apart.
        wait = asked + Math.floor(random() * Math.min(1000, policy.baseDelayMs));
      }
      retry++;
      try {
        await sleep(wait, signal);
      } catch {
        throwIfAborted(signal);
      }
    }
  };
}

/**
 * @param {HttpRequest} request
 * @param {Response | null} response
 * @param {string} text
 * @param {string} failure
 * @param {number} attempts
 * @param {string} gaveUp
 * @returns {HttpResponse}
 */
function finish(request, response, text, failure, attempts, gaveUp) {
  if (!response) {
    return {
      id: request.id,
      status: 0,
      headers: {},
      body: '',
      attempts,
      error: { code: 'network_error', message: gaveUp ? `${gaveUp}: ${failure}` : failure },
    };
  }
  /** @type {HttpResponse} */
  const out = { id: request.id, status: response.status, headers: headerObject(response.headers), body: text, attempts };
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
 * Parses a response body that should be JSON; null when it isn't.
 * @param {string} text
 * @returns {any}
 */
export function jsonOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
