// Crona's error body (assumed contract, docs/crona-api.md): {"error": {"code", "message", "field"?}}.

/** @typedef {import('../types.js').ApiResponse} ApiResponse */

/** @param {number} status @param {string} code @param {string} message @param {string} [field] @returns {ApiResponse} */
export function cronaError(status, code, message, field) {
  return { status, body: { error: field === undefined ? { code, message } : { code, message, field } } };
}

/** The code a bare status gets (injected faults, throttling). */
const CODES = /** @type {Record<number, string>} */ ({
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  415: 'unsupported_media_type', 422: 'invalid_field', 429: 'rate_limited', 500: 'internal_error', 502: 'bad_gateway',
  503: 'service_unavailable', 504: 'gateway_timeout',
});

/** @param {number} status */
export function codeFor(status) {
  return CODES[status] ?? (status >= 500 ? 'internal_error' : 'error');
}
