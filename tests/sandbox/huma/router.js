// The Huma Open API emulator's routes (paths relative to the base URL `${url}/huma`).

import { matchRoute } from '../http.js';
import { tokenEndpoint } from './auth.js';
import { springError } from './errors.js';
import { QueryError } from './query.js';
import { listUsers, getUser, patchUser, createUser } from './users.js';
import { listPositions, getPosition, createPosition, patchPosition, deletePosition } from './positions.js';
import { listGroups, listJobTitles } from './groups.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */

/**
 * What a Huma handler gets besides the request.
 * @typedef {{ world: import('../types.js').World, settings: import('../types.js').Settings, tokens: import('./auth.js').TokenStore, now: number }} HumaCtx
 */

/** @typedef {(req: ApiRequest, ctx: HumaCtx, params: string[]) => ApiResponse} Handler */

/** @type {import('../http.js').Route<Handler>[]} */
const ROUTES = [
  { method: 'POST', pattern: /^\/auth\/oauth\/token$/, handler: (req, ctx) => tokenEndpoint(req, ctx) },
  { method: 'POST', pattern: /^\/auth\/oauth\/revoke$/, handler: (req, ctx) => { ctx.tokens.revokeAll(); return { status: 200 }; } },
  { method: 'GET', pattern: /^\/users$/, handler: (req, ctx) => listUsers(req, ctx.world) },
  { method: 'POST', pattern: /^\/users$/, handler: (req, ctx) => createUser(req, ctx.world) },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/, handler: (req, ctx, [id]) => getUser(ctx.world, id ?? '') },
  { method: 'PATCH', pattern: /^\/users\/([^/]+)$/, handler: (req, ctx, [id]) => patchUser(req, ctx.world, ctx.settings, id ?? '') },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/positions$/, handler: (req, ctx, [u]) => listPositions(req, ctx.world, u ?? '') },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/positions$/, handler: (req, ctx, [u]) => createPosition(req, ctx.world, u ?? '') },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/positions\/([^/]+)$/, handler: (req, ctx, [u, id]) => getPosition(ctx.world, u ?? '', id ?? '') },
  { method: 'PATCH', pattern: /^\/users\/([^/]+)\/positions\/([^/]+)$/, handler: (req, ctx, [u, id]) => patchPosition(req, ctx.world, u ?? '', id ?? '') },
  { method: 'DELETE', pattern: /^\/users\/([^/]+)\/positions\/([^/]+)$/, handler: (req, ctx, [u, id]) => deletePosition(ctx.world, u ?? '', id ?? '') },
  { method: 'GET', pattern: /^\/groups$/, handler: (req, ctx) => listGroups(req, ctx.world) },
  { method: 'GET', pattern: /^\/job-titles$/, handler: (req, ctx) => listJobTitles(req, ctx.world) },
];

/** Only the token endpoint works without a bearer token. */
const PUBLIC = /^\/auth\/oauth\/token$/;

/** @param {ApiRequest} req @param {HumaCtx} ctx @returns {ApiResponse} */
export function handleHuma(req, ctx) {
  const found = matchRoute(ROUTES, req.method, req.path);
  if (!PUBLIC.test(req.path)) {
    const denied = ctx.tokens.check(req, ctx.now);
    if (denied) return denied;
  }
  if (!found.route) {
    return found.allowed.length
      ? { ...springError(405, `Request method '${req.method}' is not supported`, req.path), headers: { Allow: found.allowed.join(', ') } }
      : springError(404, 'No static resource found', req.path);
  }
  try {
    return found.route.handler(req, ctx, found.params);
  } catch (e) {
    if (e instanceof QueryError) return e.response;
    throw e;
  }
}
