// Setting a service up without the page: an administrator, a connection verified and sealed, a
// one-time sign-in link. Used by `crona-sync admin`, by `npm start` (the sandbox connection) and
// by the tests.
import { checkName } from './auth.js';
import { saveConnection } from './connections.js';
import { hashPassword } from './passwords.js';

/** How long a sign-in link works. */
export const SIGNIN_LINK_MS = 15 * 60_000;

/** @param {import('./store.js').Store} store @param {string} name @param {string} password */
export async function addAdmin(store, name, password) {
  return store.addAdmin(checkName(name), await hashPassword(password));
}

/**
 * Verifies and saves a connection, as the page's form does; returns its id.
 * @param {import('./store.js').Store} store @param {import('./connections.js').ConnectionInput} input
 */
export function addConnection(store, input) {
  return saveConnection(store, input);
}

/**
 * A one-time sign-in token for an administrator: open `<service>/#signin=TOKEN`.
 * @param {import('./store.js').Store} store @param {string} name
 */
export function signinLink(store, name) {
  const admin = store.admin(name);
  if (!admin) throw new Error(`There is no administrator named ${JSON.stringify(name)}.`);
  return store.createLink('signin', admin.id, SIGNIN_LINK_MS);
}
