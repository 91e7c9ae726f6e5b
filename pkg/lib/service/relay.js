// The same-origin relay: /relay/<connection>/huma/… and /relay/<connection>/crona/… forward the
// page's requests to that connection's base URL with the credentials attached here. Only the
// methods and paths the core sends pass; the host is always the connection's; the answer
// carries the upstream status, body, content type and Retry-After, nothing else.
import { CronaSyncError } from '../errors.js';
import { readBody, sendError } from './http-io.js';

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
 * Forwards one request. `path` is what follows /relay/<id>/<system>, query excluded.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {{ system: 'huma' | 'crona', path: string, search: URLSearchParams, transports: { huma: { send: Function }, crona: { send: Function } }, check?: (request: { method: string, path: string }) => void }} target
 *   check: refuses a request the connection may not send (a person another connection keeps)
 */
export async function relay(req, res, target) {
  const method = String(req.method);
  if (!allowed(target.system, method, target.path)) {
    throw new CronaSyncError('relay_not_allowed', `The relay doesn't forward ${method} ${target.path} to ${target.system === 'huma' ? 'Huma' : 'Crona'}: only the requests the sync sends pass.`, { system: target.system, method, path: target.path });
  }
  if (target.system === 'huma') target.check?.({ method, path: target.path });
  const body = await readBody(req, MAX_REQUEST_BYTES);
  /** @type {Record<string, string[]>} */
  const query = {};
  for (const [k, v] of target.search) (query[k] ??= []).push(v);
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  /** @type {import('../../index.js').HttpResponse} */
  let answer;
  try {
    answer = await target.transports[target.system].send({
      id: 'relay', system: target.system, method, path: target.path, query,
      idempotent: method === 'GET', body: body.length ? body.toString('utf8') : undefined,
    }, { signal: abort.signal });
  } catch (error) {
    // The credentials request (Huma's token, Crona's activation) was rate limited: a 429 with its
    // Retry-After, so the page waits as for any 429, instead of a 502 that spends a retry (or
    // fails a create at once) and never slows the page down.
    const details = /** @type {{ status?: unknown, retryAfter?: unknown } | null} */ (error instanceof CronaSyncError ? error.details : null);
    if (details?.status !== 429) throw error;
    /** @type {Record<string, string>} */
    const retryAfter = typeof details.retryAfter === 'string' ? { 'retry-after': details.retryAfter } : {};
    return sendError(res, new CronaSyncError('rate_limited', /** @type {Error} */ (error).message, { system: target.system }), retryAfter);
  }
  if (answer.status === 0) {
    const timedOut = /no answer within/.test(answer.error?.message ?? '');
    throw new CronaSyncError(timedOut ? 'relay_timeout' : 'relay_upstream_failed', `${target.system === 'huma' ? 'Huma' : 'Crona'} didn't answer: ${answer.error?.message ?? 'no answer'}.`, { system: target.system });
  }
  // The bytes as the API sent them go on unchanged (never decoded and encoded again).
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  if (bytes.byteLength > MAX_ANSWER_BYTES) {
    throw new CronaSyncError('relay_upstream_failed', `${target.system === 'huma' ? 'Huma' : 'Crona'} sent an answer larger than the relay passes on.`, { system: target.system });
  }
  /** @type {Record<string, string>} */
  // Whatever the API sent is data, never a page of this origin.
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'" };
  const type = answer.headers?.['content-type'];
  if (type) headers['content-type'] = type;
  const retryAfter = answer.headers?.['retry-after'];
  if (retryAfter) headers['retry-after'] = retryAfter;
  res.writeHead(answer.status, headers);
  res.end(bytes);
}
