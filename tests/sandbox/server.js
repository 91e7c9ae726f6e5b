// The one request handler: /huma and /crona go to the emulators (through faults, latency, listing faults and the
// request log), /_sandbox to the controls, everything else to the static files.

import { readBody, send, queryObject, bodyForLog } from './http.js';
import { handleHuma } from './huma/router.js';
import { handleCrona } from './crona/router.js';
import { springError, invalidToken } from './huma/errors.js';
import { cronaError, codeFor } from './crona/errors.js';
import { handleControl } from './control.js';
import { serveStatic } from './static.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./types.js').ApiResponse} ApiResponse */
/** @typedef {{ url: string, humaUrl: string, cronaUrl: string }} Urls */

/** Token exchanges are not "writes": the log of writes is about data. */
const NOT_WRITES = { huma: /^\/auth\/oauth\/token$/, crona: /^\/api\/v1\/activate$/ };

/**
 * @param {State} state
 * @param {Record<string, string>} staticRoots
 * @param {() => Urls} urls
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
export function createHandler(state, staticRoots, urls) {
  return (req, res) => {
    route(state, staticRoots, urls, req, res).catch((e) => {
      console.error('sandbox: internal error', e);
      if (!res.headersSent) send(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  };
}

/**
 * @param {State} state @param {Record<string, string>} staticRoots @param {() => Urls} urls
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 */
async function route(state, staticRoots, urls, req, res) {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const p = url.pathname;
  for (const system of /** @type {const} */ (['huma', 'crona'])) {
    if (p === `/${system}` || p.startsWith(`/${system}/`)) return handleApi(state, system, req, res, url);
  }
  if (p === '/_sandbox' || p.startsWith('/_sandbox/')) return handleControl(state, req, res, url, urls());
  return serveStatic(req, res, url, staticRoots);
}

/**
 * @param {State} state @param {'huma' | 'crona'} system
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {URL} url
 */
async function handleApi(state, system, req, res, url) {
  const seq = state.log.nextSeq();
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.slice(system.length + 1) || '/';
  const body = await readBody(req);
  const held = state.pause.gate(system, method, path);
  if (held) await held;
  const decision = state.faults.decide(system, method, path, url.searchParams, Date.now());
  const delay = state.settings.latencyMs + decision.latencyMs;
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));

  /** @param {number | null} status */
  const log = (status) => {
    /** @type {import('./log.js').RequestEntry} */
    const entry = { seq, system, method, path, query: queryObject(url.searchParams), status };
    if (decision.labels.length) entry.fault = decision.labels.join('+');
    const isWrite = method !== 'GET' && method !== 'HEAD' && !NOT_WRITES[system].test(path);
    state.log.add(entry, isWrite ? bodyForLog(req.headers, body ?? Buffer.alloc(0)) : undefined, isWrite);
    if (!state.quiet) console.error(`${seq} ${system} ${method} ${path}${url.search} → ${status ?? 'dropped'}${entry.fault ? ` [${entry.fault}]` : ''}`);
  };

  if (decision.action?.kind === 'drop') {
    log(null);
    req.socket.destroy();
    return;
  }
  /** @type {ApiResponse} */
  let response;
  if (decision.action) response = faultResponse(system, decision.action, path);
  else if (body === null) response = system === 'huma' ? springError(413, 'Request body too large', path) : cronaError(413, 'payload_too_large', 'Request body too large');
  else {
    const now = Date.now();
    /** @param {URLSearchParams} query @returns {ApiResponse} */
    const handle = (query) => {
      const apiReq = { method, path, query, headers: req.headers, body };
      return system === 'huma'
        ? handleHuma(apiReq, { world: state.world, settings: state.settings, tokens: state.tokens, now })
        : handleCrona(apiReq, state.world);
    };
    response = handle(url.searchParams);
    // listing faults change the answer the handler gave; refetches (for a cap or a duplicate) are reads, not logged
    const listed = state.faults.listing(system, method, path, url.searchParams, response, handle);
    response = listed.response;
    decision.labels.push(...listed.labels);
  }
  send(res, response.status, response.body, response.headers);
  log(response.status);
  // after the answer, so a slow or failing receiver never holds up the API
  if (response.webhook && response.status < 300) state.webhooks.emit(response.webhook);
}

/**
 * The answer of an injected fault, in the system's own error shape.
 * @param {'huma' | 'crona'} system
 * @param {{ kind: 'status', status: number, retryAfter?: string } | { kind: 'throttle', retryAfter: string }} action
 * @param {string} path
 * @returns {ApiResponse}
 */
function faultResponse(system, action, path) {
  const status = action.kind === 'throttle' ? 429 : action.status;
  const message = action.kind === 'throttle' ? 'Rate limit exceeded' : 'Injected fault';
  /** @type {ApiResponse} */
  const r = system === 'crona'
    ? cronaError(status, codeFor(status), message)
    : status === 401 ? invalidToken(message) : springError(status, message, path);
  if (action.retryAfter !== undefined) r.headers = { ...r.headers, 'Retry-After': action.retryAfter };
  return r;
}
