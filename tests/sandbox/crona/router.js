// The Crona Lön API emulator (assumed contract, DOMAIN.md §4 and docs/crona-api.md), under `${url}/crona`.

import { matchRoute, mediaType, parseJson, isObject } from '../http.js';
import { canonicalEmployee } from './employee.js';
import { cronaError } from './errors.js';
import { validateEmployee } from './validate.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */
/** @typedef {import('../types.js').World} World */
/** @typedef {import('../types.js').Employee} Employee */
/** @typedef {(req: ApiRequest, world: World, params: string[]) => ApiResponse} Handler */

/** @type {import('../http.js').Route<Handler>[]} */
const ROUTES = [
  { method: 'POST', pattern: /^\/api\/v1\/activate$/, handler: activate },
  { method: 'GET', pattern: /^\/api\/v1\/employees$/, handler: listEmployees },
  { method: 'POST', pattern: /^\/api\/v1\/employees$/, handler: createEmployee },
  { method: 'GET', pattern: /^\/api\/v1\/employees\/([^/]+)$/, handler: (req, world, [nr]) => getEmployee(world, nr ?? '') },
  { method: 'PATCH', pattern: /^\/api\/v1\/employees\/([^/]+)$/, handler: (req, world, [nr]) => patchEmployee(req, world, nr ?? '') },
];

/** @param {ApiRequest} req @param {World} world @returns {ApiResponse} */
export function handleCrona(req, world) {
  const found = matchRoute(ROUTES, req.method, req.path);
  if (found.route?.handler !== activate) {
    const header = String(req.headers.authorization ?? '');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || m[1] !== world.crona.apiKey) return cronaError(401, 'unauthorized', m ? 'Unknown API key' : 'Authorization: Bearer <apiKey> is required');
  }
  if (!found.route) {
    return found.allowed.length
      ? { ...cronaError(405, 'method_not_allowed', `${req.method} is not allowed here`), headers: { Allow: found.allowed.join(', ') } }
      : cronaError(404, 'not_found', `No such endpoint: ${req.path}`);
  }
  return found.route.handler(req, world, found.params);
}

/** @param {ApiRequest} req @returns {{ ok: true, value: unknown } | { ok: false, error: ApiResponse }} */
function jsonBody(req) {
  const type = mediaType(req.headers);
  if (type !== 'application/json') return { ok: false, error: cronaError(415, 'unsupported_media_type', 'Content-Type must be application/json') };
  const parsed = parseJson(req.body);
  return parsed.ok ? parsed : { ok: false, error: cronaError(400, 'invalid_json', `Malformed JSON: ${parsed.error}`) };
}

/** POST /api/v1/activate: the activation code → the API key. Repeatable (same key). @type {Handler} */
function activate(req, world) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const code = isObject(parsed.value) ? parsed.value.activationCode : undefined;
  if (typeof code !== 'string' || !code.trim()) return cronaError(400, 'invalid_parameter', 'activationCode is required', 'activationCode');
  if (code.trim() !== world.crona.activationCode) return cronaError(401, 'invalid_activation_code', 'The activation code is not valid');
  const c = world.crona;
  return { status: 200, body: { apiKey: c.apiKey, companyId: c.companyId, companyName: c.companyName } };
}

/** AnstNr order: numerically for digit strings, else as text. @param {string} a @param {string} b */
function compareAnstNr(a, b) {
  const da = /^\d+$/.test(a), db = /^\d+$/.test(b);
  if (da && db) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** @param {World} world */
function sortedEmployees(world) {
  const cache = world.crona.cache;
  if (!cache.sorted) cache.sorted = [...world.crona.employees.values()].sort((x, y) => compareAnstNr(x.AnstNr, y.AnstNr));
  return cache.sorted;
}

/**
 * @param {URLSearchParams} q @param {string} name @param {number} def @param {number} min @param {number} max
 * @returns {number | ApiResponse}
 */
function pageParam(q, name, def, min, max) {
  const raw = q.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) return cronaError(400, 'invalid_parameter', `${name} must be an integer in ${min}..${max}`, name);
  return n;
}

/** GET /api/v1/employees?page&pageSize. @type {Handler} */
function listEmployees(req, world) {
  const page = pageParam(req.query, 'page', 1, 1, 2147483647);
  if (typeof page !== 'number') return page;
  const pageSize = pageParam(req.query, 'pageSize', 50, 1, 200);
  if (typeof pageSize !== 'number') return pageSize;
  const all = sortedEmployees(world);
  const start = (page - 1) * pageSize;
  return { status: 200, body: { items: all.slice(start, start + pageSize), page, pageSize, total: all.length } };
}

/** @param {World} world @param {string} nr @returns {ApiResponse} */
function getEmployee(world, nr) {
  const e = world.crona.employees.get(nr);
  return e ? { status: 200, body: e } : cronaError(404, 'not_found', `No employee with AnstNr ${nr}`);
}

/** POST /api/v1/employees → 201. @type {Handler} */
function createEmployee(req, world) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const valid = validateEmployee(parsed.value, 'create');
  if (!valid.ok) return valid.error;
  const nr = String(valid.value.AnstNr);
  if (world.crona.employees.has(nr)) return cronaError(409, 'employee_exists', `An employee with AnstNr ${nr} already exists`, 'AnstNr');
  const e = canonicalEmployee(/** @type {Employee} */ (valid.value));
  world.crona.employees.set(nr, e);
  world.crona.cache.sorted = null;
  return { status: 201, body: e, headers: { Location: `/api/v1/employees/${encodeURIComponent(nr)}` } };
}

/** PATCH /api/v1/employees/{AnstNr}: only the fields sent change; null empties. @param {ApiRequest} req @param {World} world @param {string} nr @returns {ApiResponse} */
function patchEmployee(req, world, nr) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const e = world.crona.employees.get(nr);
  if (!e) return cronaError(404, 'not_found', `No employee with AnstNr ${nr}`);
  const valid = validateEmployee(parsed.value, 'update');
  if (!valid.ok) return valid.error;
  const next = canonicalEmployee(/** @type {Employee} */ ({ ...e, ...valid.value }));
  world.crona.employees.set(nr, next);
  world.crona.cache.sorted = null;
  return { status: 200, body: next };
}
