// Two connections may cover overlapping Huma groups only when an administrator confirmed it, and
// even then never both write the same Huma person: a person paired by one connection is written
// in Huma by that connection only. (Crona writes can't meet: two connections to one Crona company
// are refused outright.)
import { CronaSyncError } from '../errors.js';

/** @typedef {import('./store.js').Store} Store */

/**
 * The other connection of the same Huma organisation that has paired this Huma user, or null.
 * @param {Store} store @param {number} id @param {string} humaUserId
 */
export function otherOwner(store, id, humaUserId) {
  const me = store.connection(id);
  const org = me?.settings.huma?.organizationId;
  if (!org) return null;
  for (const o of store.connections()) {
    if (o.id === id || o.settings.huma?.organizationId !== org) continue;
    if (store.pairs(o.id, humaUserId)) return o;
  }
  return null;
}

/** The Huma user a request writes, if it writes one: PATCH /users/{id}. @param {{ method: string, path: string }} r */
export function humaWriteTarget(r) {
  const m = r.method === 'PATCH' ? /^\/users\/([^/]+)$/.exec(r.path) : null;
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    throw new CronaSyncError('invalid_request', 'The user id in the path is not valid percent-encoding.');
  }
}

/**
 * Why a Huma write may not be sent (a person another connection has paired), or null.
 * @param {Store} store @param {number} id @param {{ method: string, path: string }} request
 */
export function claimRefusal(store, id, request) {
  const target = humaWriteTarget(request);
  const owner = target ? otherOwner(store, id, target) : null;
  return owner
    ? new CronaSyncError('person_in_other_connection', `This Huma person is kept by the connection ${JSON.stringify(owner.name)}; two connections never both write the same person. Change them there.`, { system: 'huma', connection: owner.name, humaUserId: target })
    : null;
}

/**
 * A Huma transport that answers such a write itself, 409, without sending it (the command line's
 * runs, which don't go through the relay).
 * @template {{ send: (request: any, options?: any) => Promise<any> }} T
 * @param {Store} store @param {number} id @param {T} huma @returns {T}
 */
export function claimingTransport(store, id, huma) {
  return Object.freeze({
    ...huma,
    /** @param {import('../../index.js').HttpRequest} request @param {{ signal?: AbortSignal }} [options] */
    async send(request, options) {
      const refusal = claimRefusal(store, id, request);
      if (!refusal) return huma.send(request, options);
      // Bytes, as a transport's answers are.
      const body = new TextEncoder().encode(JSON.stringify({ error: { code: refusal.code, message: refusal.message, details: refusal.details }, message: refusal.message }));
      return { id: request.id, status: 409, headers: { 'content-type': 'application/json' }, body, attempts: 0, rateLimited: 0 };
    },
  });
}
