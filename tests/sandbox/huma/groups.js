// GET /groups and GET /job-titles: what the connect form offers as scope and what positions reference.

import { intParam, arrayParam, enumParam } from './query.js';
import { groupShape } from './shapes.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').ApiRequest} ApiRequest */
/** @typedef {import('../types.js').World} World */

const collator = new Intl.Collator('sv');

/** GET /groups → PageGroup (limit max 25, default 10). @param {ApiRequest} req @param {World} world @returns {ApiResponse} */
export function listGroups(req, world) {
  const q = req.query;
  const limit = /** @type {number} */ (intParam(q, 'limit', 0, 25, 10));
  const offset = /** @type {number} */ (intParam(q, 'offset', 0, undefined, 0));
  const types = arrayParam(q, 'type', { values: ['team', 'location', 'company'] });
  const direction = enumParam(q, 'orderDirection', ['ASC', 'DESC']) ?? 'ASC';
  const search = (q.get('search') ?? '').trim().toLowerCase();
  const groups = world.huma.groups
    .filter((g) => (!types || types.includes(g.type)) && (!search || g.name.toLowerCase().includes(search)))
    .sort((a, b) => collator.compare(a.name, b.name) * (direction === 'DESC' ? -1 : 1));
  return { status: 200, body: { total: groups.length, items: groups.slice(offset, offset + limit).map(groupShape), filters: {}, meta: {} } };
}

/** GET /job-titles?search= → a plain array of JobTitleSummary. @param {ApiRequest} req @param {World} world @returns {ApiResponse} */
export function listJobTitles(req, world) {
  const search = (req.query.get('search') ?? '').trim().toLowerCase();
  const titles = world.huma.jobTitles
    .filter((t) => !search || t.name.toLowerCase().includes(search))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map((t) => ({ id: t.id, name: t.name }));
  return { status: 200, body: titles };
}
