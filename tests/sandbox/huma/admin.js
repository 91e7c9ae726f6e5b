// What an HR admin does in Huma's web UI, for the controls under /_sandbox/huma: edit a profile, delete a user,
// run a profile export. Each answers like an API handler, with the webhook event Huma would send.

import { badRequest, notFound } from './errors.js';
import { editUser, findUser, invalidate } from './users.js';
import { profileEvent } from './events.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */
/** @typedef {import('../types.js').World} World */

/**
 * POST /_sandbox/huma/users/{id}/edit: the same checks and change as PATCH /users/{id} (no token needed).
 * @param {World} world @param {import('../types.js').Settings} settings @param {string} id @param {unknown} input
 * @returns {ApiResponse}
 */
export function adminEdit(world, settings, id, input) {
  return editUser(input, world, settings, id);
}

/**
 * POST /_sandbox/huma/users/{id}/delete: the user, their positions and any supervisor links to them are gone.
 * @param {World} world @param {string} id @returns {ApiResponse}
 */
export function adminDelete(world, id) {
  const u = findUser(world, id);
  if (!u) return notFound('User', id);
  if (u.hidden) return badRequest('user:not-deletable', 'The API key\'s own service user can\'t be deleted');
  const h = world.huma;
  h.users.splice(h.users.indexOf(u), 1);
  h.usersById.delete(u.id);
  h.positions.delete(u.id);
  for (const o of h.users) if (o.supervisorId === u.id) o.supervisorId = null;
  invalidate(world);
  return { status: 200, body: { deleted: { id: u.id, email: u.email } }, webhook: profileEvent('users-delete', [u]) };
}

/**
 * POST /_sandbox/huma/export: one users-export naming every user GET /users lists, in creation order.
 * @param {World} world @returns {ApiResponse}
 */
export function adminExport(world) {
  const users = world.huma.users.filter((u) => !u.hidden);
  return { status: 200, body: { topic: 'users-export', users: users.length }, webhook: profileEvent('users-export', users) };
}
