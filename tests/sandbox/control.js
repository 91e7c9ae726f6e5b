// /_sandbox/…: inspection and control of the running sandbox (no auth). The same operations are exported for
// the in-process Sandbox object.

import { readBody, send, parseJson, isObject, mediaType } from './http.js';
import { isDate } from './dates.js';
import { FaultError } from './faults.js';
import { PauseError } from './pause.js';
import { resetState } from './state.js';
import { WebhookConfigError } from './webhooks/config.js';
import { adminEdit, adminDelete, adminExport } from './huma/admin.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./types.js').Settings} Settings */
/** @typedef {import('./types.js').ApiResponse} ApiResponse */

/** A refused control request (400). */
export class ControlError extends Error {}

/**
 * Everything a client needs to connect, what the data was generated from and how many persons drifted.
 * @param {State} state @param {{ url: string, humaUrl: string, cronaUrl: string }} urls
 */
export function info(state, urls) {
  return { ...urls, credentials: credentials(state), ...state.data, drifted: state.world.drifted.length };
}

/**
 * A drift share: a finite number in 0..1.
 * @param {unknown} v @returns {v is number}
 */
export function isDrift(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

/** @param {State} state */
export function credentials(state) {
  const { huma, crona } = state.world;
  return { huma: { clientId: huma.clientId, clientSecret: huma.clientSecret }, crona: { activationCode: crona.activationCode } };
}

/**
 * GET /_sandbox/inspect: the logs and webhook deliveries (after `since`), the data as stored, the planted cases,
 * the drifted persons and the settings.
 * @param {State} state @param {{ since?: number, data?: boolean }} [opts]  data: false leaves out huma/crona
 */
export function inspect(state, opts = {}) {
  const { requests, writes } = state.log.after(opts.since ?? 0);
  const w = state.world;
  /** @type {Record<string, unknown>} */
  const out = { seq: state.log.seq, requests, writes, webhooks: state.webhooks.after(opts.since ?? 0) };
  if (opts.data !== false) {
    out.huma = {
      // the users GET /users can list; the API key's own service user (`me`) is shown apart
      users: w.huma.users.filter((u) => !u.hidden),
      serviceUser: w.huma.usersById.get(w.huma.serviceUserId) ?? null,
      positions: [...w.huma.positions.values()].flat(),
      groups: w.huma.groups,
      jobTitles: w.huma.jobTitles,
    };
    out.crona = { employees: [...w.crona.employees.values()] };
  }
  out.planted = w.planted;
  out.drifted = w.drifted;
  out.settings = state.settings;
  return out;
}

/** @param {State} state @param {unknown} patch @returns {Settings} */
export function updateSettings(state, patch) {
  if (!isObject(patch)) throw new ControlError('settings must be an object');
  const next = { ...state.settings };
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'tokenTtlSeconds') {
      if (!Number.isInteger(v) || /** @type {number} */ (v) < 1) throw new ControlError('tokenTtlSeconds must be a positive integer');
      next.tokenTtlSeconds = /** @type {number} */ (v);
    } else if (k === 'emailChange') {
      if (v !== 'immediate' && v !== 'pending') throw new ControlError('emailChange must be "immediate" or "pending"');
      next.emailChange = v;
    } else if (k === 'latencyMs') {
      if (!Number.isInteger(v) || /** @type {number} */ (v) < 0 || /** @type {number} */ (v) > 600000) throw new ControlError('latencyMs must be an integer in 0..600000');
      next.latencyMs = /** @type {number} */ (v);
    } else {
      throw new ControlError(`unknown setting "${k}"`);
    }
  }
  state.settings = next;
  return next;
}

/**
 * Regenerates the data; unspecified options keep their current values.
 * @param {State} state @param {unknown} opts
 */
export function reset(state, opts) {
  const o = opts ?? {};
  if (!isObject(o)) throw new ControlError('reset options must be an object');
  for (const k of Object.keys(o)) if (!['seed', 'people', 'today', 'drift'].includes(k)) throw new ControlError(`unknown reset option "${k}"`);
  const data = { ...state.data };
  if (o.seed !== undefined) {
    if (!Number.isSafeInteger(o.seed)) throw new ControlError('seed must be an integer');
    data.seed = /** @type {number} */ (o.seed);
  }
  if (o.people !== undefined) {
    if (!Number.isInteger(o.people) || /** @type {number} */ (o.people) < 0 || /** @type {number} */ (o.people) > 1000000) throw new ControlError('people must be an integer in 0..1000000');
    data.people = /** @type {number} */ (o.people);
  }
  if (o.today !== undefined) {
    if (!isDate(o.today)) throw new ControlError('today must be a date YYYY-MM-DD');
    data.today = o.today;
  }
  if (o.drift !== undefined) {
    if (!isDrift(o.drift)) throw new ControlError('drift must be a number in 0..1');
    data.drift = o.drift;
  }
  resetState(state, data);
}

/**
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {URL} url
 * @param {{ url: string, humaUrl: string, cronaUrl: string }} urls
 */
export async function handleControl(state, req, res, url, urls) {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const raw = await readBody(req);
  /** @returns {unknown} */
  const body = () => {
    if (!raw || !raw.length) return {};
    // A web page can send text/plain without a preflight; demanding JSON keeps other pages out.
    if (mediaType(req.headers) !== 'application/json') throw new ControlError('control requests with a body must be application/json');
    const parsed = parseJson(raw);
    if (!parsed.ok) throw new ControlError(`malformed JSON: ${parsed.error}`);
    return parsed.value;
  };
  /** Answers like the API, then sends the webhook the change causes. @param {ApiResponse} r */
  const answer = (r) => {
    send(res, r.status, r.body, r.headers);
    if (r.webhook && r.status < 300) state.webhooks.emit(r.webhook);
  };
  try {
    const key = `${method} ${path}`;
    const admin = /^POST \/_sandbox\/huma\/users\/([^/]+)\/(edit|delete)$/.exec(key);
    if (admin) {
      const id = admin[1] ?? '';  // a UUID or `me`: nothing to decode
      return answer(admin[2] === 'edit' ? adminEdit(state.world, state.settings, id, body()) : adminDelete(state.world, id));
    }
    switch (key) {
      case 'GET /_sandbox':
      case 'GET /_sandbox/info':
        return send(res, 200, info(state, urls));
      case 'GET /_sandbox/inspect': {
        const since = url.searchParams.get('since');
        if (since !== null && !/^\d+$/.test(since)) throw new ControlError('since must be a sequence number');
        return send(res, 200, inspect(state, { since: since === null ? 0 : Number(since), data: url.searchParams.get('data') !== 'false' }));
      }
      case 'GET /_sandbox/planted':
        return send(res, 200, state.world.planted);
      case 'GET /_sandbox/drifted':
        return send(res, 200, state.world.drifted);
      case 'GET /_sandbox/faults':
        return send(res, 200, { rules: state.faults.list() });
      case 'POST /_sandbox/faults': {
        const b = body();
        const rules = isObject(b) ? b.rules : undefined;
        state.faults.add(rules, Date.now());
        return send(res, 200, { rules: state.faults.list() });
      }
      case 'DELETE /_sandbox/faults':
        state.faults.clear();
        return send(res, 200, { rules: [] });
      case 'GET /_sandbox/pause':
        return send(res, 200, { pause: state.pause.view() });
      case 'POST /_sandbox/pause':
        return send(res, 200, { pause: state.pause.set(body()) });
      case 'DELETE /_sandbox/pause':
        state.pause.lift();
        return send(res, 200, { pause: null });
      case 'GET /_sandbox/settings':
        return send(res, 200, state.settings);
      case 'POST /_sandbox/settings':
        return send(res, 200, updateSettings(state, body()));
      case 'POST /_sandbox/huma/revoke-tokens':
        state.tokens.revokeAll();
        return send(res, 200, { revoked: true });
      case 'GET /_sandbox/webhooks':
        return send(res, 200, state.webhooks.view());
      case 'POST /_sandbox/webhooks':
        return send(res, 200, state.webhooks.configure(body()));
      case 'DELETE /_sandbox/webhooks':
        return send(res, 200, state.webhooks.remove());
      case 'POST /_sandbox/huma/export':
        if (!state.webhooks.config) throw new ControlError('no webhook receiver: register one with POST /_sandbox/webhooks first');
        return answer(adminExport(state.world));
      case 'POST /_sandbox/reset':
        reset(state, body());
        return send(res, 200, info(state, urls));
      default:
        return send(res, 404, { error: `no control route ${key}` });
    }
  } catch (e) {
    if (e instanceof ControlError || e instanceof FaultError || e instanceof PauseError || e instanceof WebhookConfigError) return send(res, 400, { error: e.message });
    throw e;
  }
}
