// The service's HTTP plumbing: reading a bounded JSON body, answering JSON, and turning a coded
// error into its status. Every error leaves as { error: { code, message, details } }.
import { CronaSyncError } from '../errors.js';

/** The status each code answers with; anything else is the service's own fault (500). */
const STATUS = /** @type {Record<string, number>} */ ({
  invalid_argument: 400, invalid_json: 400, invalid_request: 400, usage: 400, invalid_base_url: 400, missing_credentials: 400,
  huma_auth_failed: 400, crona_activation_failed: 400, crona_auth_failed: 400, connection_refused: 400,
  signed_out: 401, signin_failed: 401,
  cross_origin_refused: 403, setup_link_invalid: 403, signin_link_invalid: 403, not_your_run: 403, relay_needs_run: 403, unknown_host: 421,
  not_found: 404, relay_not_allowed: 404,
  method_not_allowed: 405,
  connection_exists: 409, connection_collision: 409, person_in_other_connection: 409, locked: 409, lease_lost: 409, state_conflict: 409, state_mismatch: 409, admin_exists: 409, run_finished: 409,
  too_large: 413, unsupported_media_type: 415,
  too_many_attempts: 429, rate_limited: 429,
  huma_unavailable: 502, crona_unavailable: 502, network_error: 502, relay_upstream_failed: 502,
  store_unavailable: 503, sealed_secret_invalid: 503,
  relay_timeout: 504,
});

/** @param {string} code */
export function statusOf(code) {
  return STATUS[code] ?? 500;
}

/**
 * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} [body]
 * @param {Record<string, string | string[]>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(status === 204 ? undefined : text);
}

/**
 * Answers a coded error; anything uncoded is logged by the caller and answered as internal.
 * @param {import('node:http').ServerResponse} res @param {unknown} error @param {Record<string, string>} [headers]
 */
export function sendError(res, error, headers = {}) {
  const { status, body } = errorBody(error);
  sendJson(res, status, body, headers);
}

/**
 * A coded error's status and body (anything uncoded is internal). `message` at the top as well:
 * the core reads a failed relayed write's reason from there, as it does from Huma's own errors.
 * @param {unknown} error
 */
export function errorBody(error) {
  const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', 'The service failed; its log says why.');
  return { status: statusOf(e.code), body: { error: { code: e.code, message: e.message, details: e.details ?? null }, message: e.message } };
}

/**
 * The request's body, refused (413) past `limit` bytes without reading the rest.
 * @param {import('node:http').IncomingMessage} req @param {number} limit @returns {Promise<Buffer>}
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new CronaSyncError('too_large', `The request body is larger than ${limit} bytes.`, { limit });
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      return reject(tooLarge());
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that went away mid-body: nobody is left to answer.
    req.on('error', () => reject(new CronaSyncError('client_gone', 'The client closed the request before its body arrived.')));
    req.on('aborted', () => reject(new CronaSyncError('client_gone', 'The client closed the request before its body arrived.')));
  });
}

/**
 * The request's JSON object body.
 * @param {import('node:http').IncomingMessage} req @param {number} [limit]
 * @returns {Promise<Record<string, any>>}
 */
export async function readJson(req, limit = 1024 * 1024) {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const body = await readBody(req, limit);
  if (!body.length) return {};
  if (type !== 'application/json') throw new CronaSyncError('unsupported_media_type', 'Send JSON (content-type: application/json).');
  let value;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CronaSyncError('invalid_json', 'The request body is not JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CronaSyncError('invalid_json', 'The request body must be a JSON object.');
  return value;
}
