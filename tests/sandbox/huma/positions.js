// /users/{userId}/positions: a person's employment periods (huma-api.md §4, spec B only).

import { Rng } from '../random.js';
import { badRequest, invalidField, notFound } from './errors.js';
import { intParam } from './query.js';
import { validateBody, POSITION_CREATE_INPUT, POSITION_UPDATE_INPUT } from './validate.js';
import { positionShape, positionSummaryShape } from './shapes.js';
import { findUser, jsonBody, invalidate } from './users.js';
import { profileEvent } from './events.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */
/** @typedef {import('../types.js').World} World */
/** @typedef {import('../types.js').HumaPosition} HumaPosition */

/** Newest first; positions without a start date last. @param {HumaPosition} a @param {HumaPosition} b */
const newestFirst = (a, b) => (b.contractStartDate ?? '').localeCompare(a.contractStartDate ?? '') || a.id.localeCompare(b.id);

/** GET → PagePositionSummary. No default limit: all positions when limit is absent. @param {ApiRequest} req @param {World} world @param {string} userId @returns {ApiResponse} */
export function listPositions(req, world, userId) {
  const limit = intParam(req.query, 'limit', 0, undefined, undefined);
  const offset = /** @type {number} */ (intParam(req.query, 'offset', 0, undefined, 0));
  const u = findUser(world, userId);
  if (!u) return notFound('User', userId);
  const all = [...(world.huma.positions.get(u.id) ?? [])].sort(newestFirst);
  const page = all.slice(offset, limit === undefined ? undefined : offset + limit);
  return { status: 200, body: { total: all.length, items: page.map((p) => positionSummaryShape(world, p)), filters: {}, meta: {} } };
}

/** @param {World} world @param {string} userId @param {string} id */
function find(world, userId, id) {
  const u = findUser(world, userId);
  if (!u) return { error: notFound('User', userId) };
  const list = world.huma.positions.get(u.id) ?? [];
  const p = list.find((x) => x.id === id.toLowerCase());
  return p ? { user: u, list, position: p } : { error: notFound('Position', id) };
}

/** GET one → Position. @param {World} world @param {string} userId @param {string} id @returns {ApiResponse} */
export function getPosition(world, userId, id) {
  const r = find(world, userId, id);
  return r.error ?? { status: 200, body: positionShape(world, /** @type {HumaPosition} */ (r.position)) };
}

/**
 * Applies an input to a position; null clears. Returns an error when the result would end before it starts
 * or names a job title that doesn't exist.
 * @param {World} world @param {HumaPosition} p @param {Record<string, unknown>} body
 * @returns {ApiResponse | null}
 */
function apply(world, p, body) {
  if (typeof body.titleId === 'string' && !world.huma.jobTitlesById.has(body.titleId.toLowerCase())) return notFound('JobTitle', body.titleId);
  const next = { ...p };
  const rec = /** @type {Record<string, unknown>} */ (next);
  for (const [k, v] of Object.entries(body)) rec[k] = k === 'titleId' && typeof v === 'string' ? v.toLowerCase() : v;
  if (next.contractStartDate && next.contractEndDate && next.contractEndDate < next.contractStartDate) {
    return invalidField('contractEndDate', 'contractEndDate must not be before contractStartDate');
  }
  if (next.contractType === null) return invalidField('contractType', 'contractType can\'t be cleared');
  Object.assign(p, next);
  return null;
}

/** POST → Position. @param {ApiRequest} req @param {World} world @param {string} userId @returns {ApiResponse} */
export function createPosition(req, world, userId) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const valid = validateBody(parsed.value, POSITION_CREATE_INPUT);
  if (!valid.ok) return valid.error;
  const u = findUser(world, userId);
  if (!u) return notFound('User', userId);
  if (!u.active) return badRequest('user:deactivated', 'The user is deactivated; a deactivated profile is locked');
  const list = world.huma.positions.get(u.id) ?? [];
  const rng = new Rng(world.seed, 'created-position', u.id, list.length);
  /** @type {HumaPosition} */
  const p = {
    id: rng.uuid(), userId: u.id, contractStartDate: null, contractEndDate: null, firstDayOfWork: null, lastDayOfWork: null,
    probationEndDate: null, terminationNoticeDate: null, contractType: 'Permanent', percentage: 100, titleId: null,
    contractCountry: null, description: null, note: null, endNote: null, endReason: null, wantedEnd: null,
  };
  const error = apply(world, p, valid.value);
  if (error) return error;
  list.push(p);
  world.huma.positions.set(u.id, list);
  invalidate(world);
  return { status: 200, body: positionShape(world, p), webhook: profileEvent('users-update', [u]) };
}

/** PATCH → Position. @param {ApiRequest} req @param {World} world @param {string} userId @param {string} id @returns {ApiResponse} */
export function patchPosition(req, world, userId, id) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const valid = validateBody(parsed.value, POSITION_UPDATE_INPUT);
  if (!valid.ok) return valid.error;
  const r = find(world, userId, id);
  if (r.error) return r.error;
  if (!r.user.active) return badRequest('user:deactivated', 'The user is deactivated; a deactivated profile is locked');
  const error = apply(world, /** @type {HumaPosition} */ (r.position), valid.value);
  if (error) return error;
  invalidate(world);
  return { status: 200, body: positionShape(world, /** @type {HumaPosition} */ (r.position)), webhook: profileEvent('users-update', [r.user]) };
}

/** DELETE → 200 with no body. @param {World} world @param {string} userId @param {string} id @returns {ApiResponse} */
export function deletePosition(world, userId, id) {
  const r = find(world, userId, id);
  if (r.error) return r.error;
  if (!r.user.active) return badRequest('user:deactivated', 'The user is deactivated; a deactivated profile is locked');
  r.list.splice(r.list.indexOf(/** @type {HumaPosition} */ (r.position)), 1);
  invalidate(world);
  return { status: 200, webhook: profileEvent('users-update', [r.user]) };
}
