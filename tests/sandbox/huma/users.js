// /users: list, details, update, create (huma-api.md §3).

import { parseJson, mediaType } from '../http.js';
import { phoneKey } from '../data/phone.js';
import { badRequest, invalidField, notFound, springError } from './errors.js';
import { intParam, boolParam, enumParam, arrayParam } from './query.js';
import { validateBody, looksLikeEmail, USER_DETAILS_INPUT, USER_INPUT } from './validate.js';
import { userShape, userDetailsShape } from './shapes.js';
import { Rng } from '../random.js';
import { profileEvent } from './events.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */
/** @typedef {import('../types.js').World} World */
/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Settings} Settings */

const collator = new Intl.Collator('sv');

/** Users in name order (given, family, id), cached until a write changes names. @param {World} world */
function sortedUsers(world) {
  const cache = world.huma.cache;
  if (!cache.sorted) {
    cache.sorted = world.huma.users
      .filter((u) => !u.hidden)
      .sort((a, b) => collator.compare(a.givenName ?? '', b.givenName ?? '') || collator.compare(a.familyName ?? '', b.familyName ?? '') || (a.id < b.id ? -1 : 1));
  }
  return cache.sorted;
}

/** Forget cached orderings and counts after a write. @param {World} world */
export function invalidate(world) {
  world.huma.cache.sorted = null;
  world.huma.cache.subordinates = null;
}

/** GET /users → PageUser. @param {ApiRequest} req @param {World} world @returns {ApiResponse} */
export function listUsers(req, world) {
  const q = req.query;
  const me = world.huma.serviceUserId;
  const limit = /** @type {number} */ (intParam(q, 'limit', 0, 50, 25));
  const offset = /** @type {number} */ (intParam(q, 'offset', 0, undefined, 0));
  const direction = enumParam(q, 'orderDirection', ['ASC', 'DESC']) ?? 'ASC';
  const search = (q.get('search') ?? '').trim().toLowerCase();
  const groupFilters = ['company', 'team', 'location'].map((n) => arrayParam(q, n)).filter((v) => v !== undefined);
  const jobTitle = arrayParam(q, 'jobTitle');
  const ids = arrayParam(q, 'id', { me });
  const excludeIds = arrayParam(q, 'excludeId', { me });
  const isActive = boolParam(q, 'isActive');

  let users = sortedUsers(world);
  if (direction === 'DESC') users = [...users].reverse();
  const idSet = ids && new Set(ids);
  const excluded = excludeIds && new Set(excludeIds);
  const matches = users.filter((u) => {
    if (idSet && !idSet.has(u.id)) return false;
    if (excluded && excluded.has(u.id)) return false;
    if (isActive !== undefined && u.active !== isActive) return false;
    for (const wanted of groupFilters) if (!wanted.some((g) => u.groupIds.includes(g))) return false;
    if (jobTitle && !(world.huma.positions.get(u.id) ?? []).some((p) => p.titleId && jobTitle.includes(p.titleId))) return false;
    if (search) {
      const hay = `${u.givenName ?? ''} ${u.familyName ?? ''} ${u.preferredName ?? ''} ${u.email}`.toLowerCase();
      if (!hay.includes(search)) return false;
    }
    return true;
  });
  return {
    status: 200,
    body: { total: matches.length, items: matches.slice(offset, offset + limit).map((u) => userShape(world, u)), filters: {}, meta: {} },
  };
}

/** `me` → the API key's user. @param {World} world @param {string} id */
export function findUser(world, id) {
  return world.huma.usersById.get(id === 'me' ? world.huma.serviceUserId : id.toLowerCase());
}

/** GET /users/{id} → UserDetails. @param {World} world @param {string} id @returns {ApiResponse} */
export function getUser(world, id) {
  const u = findUser(world, id);
  return u ? { status: 200, body: userDetailsShape(world, u) } : notFound('User', id);
}

/**
 * Parses a JSON request body the way Spring does: 415 for another content type, 400 for broken JSON.
 * @param {ApiRequest} req
 * @returns {{ ok: true, value: unknown } | { ok: false, error: ApiResponse }}
 */
export function jsonBody(req) {
  const type = mediaType(req.headers);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { ok: false, error: springError(415, `Content-Type '${type || 'none'}' is not supported; use application/json`, req.path) };
  }
  const parsed = parseJson(req.body);
  if (!parsed.ok) return { ok: false, error: badRequest('request:malformed-json', `JSON parse error: ${parsed.error}`) };
  return { ok: true, value: parsed.value };
}

/** Properties that must stay filled. */
const NOT_CLEARABLE = ['email'];

/**
 * PATCH /users/{id}: UserDetailsInput → UserDetails.
 * Order of checks: body (415/400), the user (404), deactivated, not editable, e-mail shape, uniqueness.
 * @param {ApiRequest} req @param {World} world @param {Settings} settings @param {string} id
 * @returns {ApiResponse}
 */
export function patchUser(req, world, settings, id) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  return editUser(parsed.value, world, settings, id);
}

/**
 * The checks and the change of PATCH /users/{id} once the JSON is parsed; also what an HR admin's edit in
 * Huma's web UI does (POST /_sandbox/huma/users/{id}/edit). A change answers with a users-update event.
 * @param {unknown} input @param {World} world @param {Settings} settings @param {string} id
 * @returns {ApiResponse}
 */
export function editUser(input, world, settings, id) {
  const valid = validateBody(input, USER_DETAILS_INPUT);
  if (!valid.ok) return valid.error;
  const body = valid.value;
  const u = findUser(world, id);
  if (!u) return notFound('User', id);
  if (!u.active) return badRequest('user:deactivated', 'The user is deactivated; a deactivated profile is locked');
  const locked = Object.keys(body).filter((k) => u.locked[k]);
  if (locked.length) return badRequest('field:not-editable', `Not editable: ${locked.join(', ')} (controlled by an integration)`, locked);
  for (const k of NOT_CLEARABLE) if (k in body && (body[k] === null || body[k] === '')) return invalidField(k, `${k} can't be empty`);
  if (typeof body.email === 'string' && !looksLikeEmail(body.email.trim())) return invalidField('email', 'email is not an e-mail address');
  if (typeof body.privateEmail === 'string' && body.privateEmail !== '' && !looksLikeEmail(body.privateEmail.trim())) return invalidField('privateEmail', 'privateEmail is not an e-mail address');
  if (typeof body.supervisor === 'string' && !world.huma.usersById.has(body.supervisor.toLowerCase())) return notFound('User', body.supervisor);
  const clash = uniquenessClash(world, u, body);
  if (clash) return clash;
  applyPatch(u, body, settings);
  invalidate(world);
  return { status: 200, body: userDetailsShape(world, u), webhook: profileEvent('users-update', [u]) };
}

/** "" and null clear a value. @param {unknown} v @returns {string | null} */
const text = (v) => (typeof v === 'string' && v !== '' ? v : null);

/** @param {HumaUser} u @param {Record<string, unknown>} body @param {Settings} settings */
function applyPatch(u, body, settings) {
  for (const k of /** @type {const} */ (['givenName', 'familyName', 'preferredName', 'privateEmail', 'phone', 'employmentId', 'birthDate', 'gender', 'nationality'])) {
    if (k in body) u[k] = text(body[k]);
  }
  if ('supervisor' in body) u.supervisorId = text(body.supervisor)?.toLowerCase() ?? null;
  if (typeof body.email === 'string') {
    const next = body.email.trim();
    if (next.toLowerCase() === u.email.toLowerCase() && settings.emailChange === 'pending') u.requestedEmail = null;
    else if (settings.emailChange === 'pending') u.requestedEmail = next;
    else {
      u.email = next;
      u.requestedEmail = null;
    }
  }
  if ('homeAddress' in body) {
    const a = /** @type {Record<string, string> | null} */ (body.homeAddress);
    u.homeAddress = a && { line1: a.line1 ?? '', line2: a.line2 ?? '', line3: a.line3 ?? '', postalCode: a.postalCode ?? '', city: a.city ?? '', country: a.country ?? '' };
  }
  if ('bankAccount' in body) {
    const b = /** @type {Record<string, string> | null} */ (body.bankAccount);
    if (!b) u.bankAccount = null;
    else if (b.type === 'national') u.bankAccount = { type: 'national', number: b.number ?? '', country: b.country ?? '' };
    else u.bankAccount = { type: 'international', iban: b.iban ?? '', bic: b.bic ?? '', code: (b.iban ?? '').slice(0, 2).toUpperCase() };
  }
}

/**
 * Huma keeps e-mail (case-insensitively), phone (as a number) and employment id unique among users.
 * Only a value that changes is checked, so an existing duplicate can be re-sent unchanged.
 * @param {World} world @param {HumaUser | null} self @param {Record<string, unknown>} body
 * @returns {ApiResponse | null}
 */
export function uniquenessClash(world, self, body) {
  /** @type {string[]} */
  const fields = [];
  const others = world.huma.users.filter((o) => o !== self);
  if (typeof body.email === 'string') {
    const e = body.email.trim().toLowerCase();
    const own = self ? [self.email, self.requestedEmail].some((x) => x?.toLowerCase() === e) : false;
    if (!own && others.some((o) => o.email.toLowerCase() === e || o.requestedEmail?.toLowerCase() === e)) fields.push('email');
  }
  if (typeof body.phone === 'string' && body.phone.trim()) {
    const p = phoneKey(body.phone);
    if (!(self?.phone && phoneKey(self.phone) === p) && others.some((o) => o.phone && phoneKey(o.phone) === p)) fields.push('phone');
  }
  if (typeof body.employmentId === 'string' && body.employmentId.trim()) {
    const id = body.employmentId.trim();
    if (self?.employmentId?.trim() !== id && others.some((o) => o.employmentId?.trim() === id)) fields.push('employmentId');
  }
  return fields.length ? badRequest('field:not-unique', `Another user already has this ${fields.join(', ')}`, fields) : null;
}

/**
 * POST /users: UserInput → User (the list shape, not UserDetails).
 * @param {ApiRequest} req @param {World} world @returns {ApiResponse}
 */
export function createUser(req, world) {
  const parsed = jsonBody(req);
  if (!parsed.ok) return parsed.error;
  const valid = validateBody(parsed.value, USER_INPUT);
  if (!valid.ok) return valid.error;
  const body = valid.value;
  const email = String(body.email).trim();
  if (!looksLikeEmail(email)) return invalidField('email', 'email is not an e-mail address');
  const groups = /** @type {string[]} */ (body.groups).map((g) => g.toLowerCase());
  const missing = groups.find((g) => !world.huma.groupsById.has(g));
  if (missing) return notFound('Group', missing);
  if (typeof body.supervisor === 'string' && !world.huma.usersById.has(body.supervisor.toLowerCase())) return notFound('User', body.supervisor);
  const clash = uniquenessClash(world, null, body);
  if (clash) return clash;
  const rng = new Rng(world.seed, 'created-user', world.huma.users.length, email);
  /** @type {HumaUser} */
  const u = {
    id: rng.uuid(), type: 'user', hidden: false,
    givenName: text(body.givenName), familyName: text(body.familyName), preferredName: text(body.preferredName),
    email, requestedEmail: null, privateEmail: null, phone: text(body.phone), homeAddress: null, bankAccount: null,
    employmentId: null, birthDate: null, gender: null, nationality: null, personnummer: null, groupIds: groups,
    supervisorId: text(body.supervisor)?.toLowerCase() ?? null, active: true, deactivatedAt: null,
    invitedAt: body.invite === true ? new Date().toISOString() : null, lastLoggedInAt: null, locked: {}, emptyAsNull: false,
  };
  world.huma.users.push(u);
  world.huma.usersById.set(u.id, u);
  world.huma.positions.set(u.id, []);
  invalidate(world);
  return { status: 200, body: userShape(world, u), webhook: profileEvent('users-create', [u]) };
}
