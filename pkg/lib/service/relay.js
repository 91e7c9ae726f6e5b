// The same-origin relay: /relay/<connection>/huma/… and /relay/<connection>/crona/… forward the
// page's requests to that connection's base URL with the credentials attached here. Only the
// methods and paths the core sends pass; the host is always the connection's; the answer
// carries the upstream status, body, content type and Retry-After, nothing else.
import { CronaSyncError } from '../errors.js';
import { errorBody, readBody } from './http-io.js';

const SEGMENT = '[^/]+';
/** What the core sends, per system: method and path pattern. */
const ALLOWED = {
  huma: [
    ['GET', '/users'], ['POST', '/users'], ['GET', `/users/${SEGMENT}`], ['PATCH', `/users/${SEGMENT}`],
    ['GET', `/users/${SEGMENT}/positions`], ['GET', '/groups'],
  ],
  crona: [
    ['GET', '/api/v1/employees'], ['POST', '/api/v1/employees'],
    ['GET', `/api/v1/employees/${SEGMENT}`], ['PATCH', `/api/v1/employees/${SEGMENT}`],
  ],
};
const PATTERNS = Object.fromEntries(Object.entries(ALLOWED).map(([system, routes]) => [system, routes.map(([method, path]) => ({ method, re: new RegExp(`^${path}$`) }))]));

export const MAX_REQUEST_BYTES = 1024 * 1024;
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * Whether the core sends this method and path to this system.
 * @param {'huma' | 'crona'} system @param {string} method @param {string} path
 */
export function allowed(system, method, path) {
  return PATTERNS[system].some((p) => p.method === method && p.re.test(path));
}

/**
 * @typedef {{ huma: { send: Function }, crona: { send: Function } }} RelayTransports
 * @typedef {(request: { method: string, path: string }) => void} RelayCheck
 *   refuses a request the connection may not send (a person another connection keeps)
 * @typedef {{ status: number, headers: Record<string, string>, body: Uint8Array }} RelayAnswer
 *   the body as the bytes the API sent (never decoded and encoded again)
 */

/**
 * The relay's own refusal or failure as an answer, in the body the service answers any error with.
 * @param {unknown} error @param {Record<string, string>} [headers]
 * @returns {RelayAnswer}
 */
export function errorAnswer(error, headers = {}) {
  const { status, body } = errorBody(error);
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

/**
 * Sends one request the relay was asked for, by HTTP or over the socket: only what the core sends
 * passes; the answer is the upstream status, body, content type and Retry-After. Throws the
 * relay's refusals and failures as coded errors.
 * @param {{ system: 'huma' | 'crona', method: string, path: string, query: Record<string, string[]>, body?: string }} request
 * @param {RelayTransports} transports @param {RelayCheck | undefined} check @param {AbortSignal} signal
 * @returns {Promise<RelayAnswer>}
 */
export async function forward(request, transports, check, signal) {
  const { system, method, path } = request;
  // The HTTP relay's path was checked as the service reads every path; a socket's is checked here.
  if (!path.startsWith('/') || /\\|%5c|%2f|%00/i.test(path) || path.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg))) {
    throw new CronaSyncError('invalid_request', 'A path may not contain ".", ".." or encoded "/" segments, or a backslash.');
  }
  if (!allowed(system, method, path)) {
    throw new CronaSyncError('relay_not_allowed', `The relay doesn't forward ${method} ${path} to ${system === 'huma' ? 'Huma' : 'Crona'}: only the requests the sync sends pass.`, { system, method, path });
  }
  if (system === 'huma') check?.({ method, path });
  /** @type {import('../../index.js').HttpResponse} */
  let answer;
  try {
    answer = await transports[system].send({
      id: 'relay', system, method, path, query: request.query,
      idempotent: method === 'GET', body: request.body || undefined,
    }, { signal });
  } catch (error) {
    // The credentials request (Huma's token, Crona's activation) was rate limited: a 429 with its
    // Retry-After, so the page waits as for any 429, instead of a 502 that spends a retry (or
    // fails a create at once) and never slows the page down.
    const details = /** @type {{ status?: unknown, retryAfter?: unknown } | null} */ (error instanceof CronaSyncError ? error.details : null);
    if (details?.status !== 429) throw error;
    /** @type {Record<string, string>} */
    const retryAfter = typeof details.retryAfter === 'string' ? { 'retry-after': details.retryAfter } : {};
    return errorAnswer(new CronaSyncError('rate_limited', /** @type {Error} */ (error).message, { system }), retryAfter);
  }
  if (answer.status === 0) {
    const timedOut = /no answer within/.test(answer.error?.message ?? '');
    throw new CronaSyncError(timedOut ? 'relay_timeout' : 'relay_upstream_failed', `${system === 'huma' ? 'Huma' : 'Crona'} didn't answer: ${answer.error?.message ?? 'no answer'}.`, { system });
  }
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  if (bytes.byteLength > MAX_ANSWER_BYTES) {
    throw new CronaSyncError('relay_upstream_failed', `${system === 'huma' ? 'Huma' : 'Crona'} sent an answer larger than the relay passes on.`, { system });
  }
  /** @type {Record<string, string>} */
  const headers = {};
  const type = answer.headers?.['content-type'];
  if (type) headers['content-type'] = type;
  const retryAfter = answer.headers?.['retry-after'];
  if (retryAfter) headers['retry-after'] = retryAfter;
  return { status: answer.status, headers, body: bytes };
}

/**
 * Forwards one request. `path` is what follows /relay/<id>/<system>, query excluded.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {{ system: 'huma' | 'crona', path: string, search: URLSearchParams, transports: RelayTransports, check?: RelayCheck }} target
 */
export async function relay(req, res, target) {
  const method = String(req.method);
  // Refused before its body is read.
  if (!allowed(target.system, method, target.path)) return forward({ system: target.system, method, path: target.path, query: {} }, target.transports, target.check, new AbortController().signal);
  const body = await readBody(req, MAX_REQUEST_BYTES);
  /** @type {Record<string, string[]>} */
  const query = {};
  for (const [k, v] of target.search) (query[k] ??= []).push(v);
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const answer = await forward({ system: target.system, method, path: target.path, query, body: body.length ? body.toString('utf8') : undefined }, target.transports, target.check, abort.signal);
  // Whatever the API sent is data, never a page of this origin.
  res.writeHead(answer.status, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'", ...answer.headers });
  res.end(answer.body);
}
