// Small HTTP helpers shared by the API emulators, the control routes and the static server.

/** Bodies larger than this are refused: the sandbox is for tests, not uploads. */
const MAX_BODY = 5 * 1024 * 1024;

/**
 * Reads the whole request body.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | null>} null when the body is too large
 */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body  undefined = empty body; string = sent as is; else JSON
 * @param {Record<string, string>} [headers]
 */
export function send(res, status, body, headers = {}) {
  /** @type {Record<string, string | number>} */
  const h = { 'Cache-Control': 'no-store', ...headers };
  let payload = '';
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!hasHeader(h, 'content-type')) h['Content-Type'] = 'application/json; charset=utf-8';
  }
  h['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(status, h);
  res.end(payload);
}

/** @param {Record<string, unknown>} headers @param {string} name */
function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * Query parameters as a plain object for logs: repeated keys become arrays.
 * @param {URLSearchParams} q @returns {Record<string, string | string[]>}
 */
export function queryObject(q) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [k, v] of q) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The media type of a request, lowercased, without parameters ("application/json").
 * @param {import('node:http').IncomingHttpHeaders} headers
 */
export function mediaType(headers) {
  return String(headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Parses a JSON body.
 * @param {Buffer} body
 * @returns {{ ok: true, value: unknown } | { ok: false, error: string }}
 */
export function parseJson(body) {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The body as the request log shows it: JSON or form fields parsed, anything else as text, empty as null.
 * @param {import('node:http').IncomingHttpHeaders} headers @param {Buffer} body
 * @returns {unknown}
 */
export function bodyForLog(headers, body) {
  if (!body.length) return null;
  const type = mediaType(headers);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  const parsed = parseJson(body);
  return parsed.ok ? parsed.value : body.toString('utf8');
}

/** @param {unknown} v @returns {v is Record<string, unknown>} a plain JSON object (not an array, not null) */
export function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A route table entry: method, a regular expression over the path (groups become params), the handler.
 * @template H
 * @typedef {{ method: string, pattern: RegExp, handler: H }} Route
 */

/**
 * Finds the route for (method, path). `allowed` lists the methods of routes whose path matched, for 405s.
 * @template H
 * @param {readonly Route<H>[]} routes @param {string} method @param {string} path
 * @returns {{ route: Route<H>, params: string[] } | { route: null, allowed: string[] }}
 */
export function matchRoute(routes, method, path) {
  /** @type {string[]} */
  const allowed = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method === method) return { route, params: m.slice(1).map((p) => safeDecode(p ?? '')) };
    allowed.push(route.method);
  }
  return { route: null, allowed };
}

/** @param {string} s */
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reason phrases for the status codes the sandbox sends. */
export const REASONS = /** @type {Record<number, string>} */ ({
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
});
