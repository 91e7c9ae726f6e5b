// When and how long to wait before trying a request again.

/**
 * @typedef {object} RetryPolicy
 * @property {number} retries         attempts after the first one (default 5)
 * @property {number} baseDelayMs     first back-off ceiling; doubles each attempt (default 500)
 * @property {number} maxDelayMs      back-off ceiling (default 30 000)
 * @property {number} maxRetryAfterMs longest Retry-After we honour; longer means give up (default 120 000)
 * @property {number} rateLimitBudgetMs how long one request may keep being rate limited (429 with a
 *   Retry-After we honour) before it gives up; such answers don't count against `retries` (default 600 000; 0: never wait, give the 429 back at once)
 */

/** @type {RetryPolicy} */
export const DEFAULT_RETRY = Object.freeze({
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  rateLimitBudgetMs: 600_000,
});

/** Statuses that mean "not processed, try later": rate limited, or unavailable. */
const NOT_PROCESSED = new Set([429, 503]);
/** Gateway failures: the request may or may not have reached the API. */
const GATEWAY = new Set([502, 504]);

/**
 * 429 and 503 are retried for every request; 502/504 only where a repeat is harmless. Other
 * statuses (400, 401, 404, 409, 422, 500…) are answers, not hiccups: never retried.
 * @param {number} status
 * @param {{ method: string, idempotent?: boolean }} request
 */
export function isRetryableStatus(status, request) {
  return NOT_PROCESSED.has(status) || (GATEWAY.has(status) && isIdempotent(request));
}

/**
 * A network failure may hide a request the server did process. Retrying is safe only when
 * doing it twice has the effect of doing it once.
 * @param {{ method: string, idempotent?: boolean }} request
 */
export function isIdempotent(request) {
  return request.idempotent ?? request.method.toUpperCase() !== 'POST';
}

/**
 * Capped exponential back-off with full jitter (a random wait between 0 and the ceiling), so
 * many clients that failed together don't retry together.
 * @param {number} attempt 0 for the first retry
 * @param {Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>} policy
 * @param {() => number} random in [0, 1)
 */
export function backoffMs(attempt, policy, random) {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * The jitter added to a wait the server asked for (Retry-After): up to a twentieth of it, at most
 * `baseDelayMs`. Enough to keep clients told the same moment apart; small, because a rate limiter
 * refills while we wait, and every moment waited past the asked time can be capacity lost (a token
 * bucket that is full holds no more).
 * @param {number} askedMs
 * @param {Pick<RetryPolicy, 'baseDelayMs'>} policy
 * @param {() => number} random in [0, 1)
 */
export function retryAfterJitterMs(askedMs, policy, random) {
  return Math.floor(random() * Math.min(askedMs / 20, policy.baseDelayMs));
}

/**
 * Reads Retry-After: delta seconds or an HTTP date. Null when absent or unreadable.
 * @param {string | null | undefined} value
 * @param {number} nowMs
 * @returns {number | null}
 */
export function parseRetryAfter(value, nowMs) {
  if (value == null || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP date (IMF-fixdate, e.g. "Wed, 25 Nov 2026 10:00:00 GMT"); anything else is
  // ignored so the usual back-off applies rather than an immediate retry.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * Resolves after `ms`, or rejects with the signal's reason when it aborts first.
 * @param {number} ms
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
