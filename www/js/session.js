// Who is using the page. At start: a one-time link in the address (#setup=… or #signin=…) is
// read and removed from the address bar at once, then the service says who is signed in. The top
// bar shows the administrator and "Sign out".
import { api } from './api.js';
import { fill, h } from './dom.js';
import { message } from './format.js';
import { endOpenRuns } from './service-run.js';
import { showNoAdministrator, showSetup, showSignin } from './views/signin.js';

/** @typedef {(admin: { name: string }) => void} SignedIn */

/** The link's token, gone from the address bar (and history) before anything else happens. */
function takeLinkToken() {
  const match = /^#(setup|signin)=([^&]+)$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  let token = match[2];
  try {
    token = decodeURIComponent(token);
  } catch {
    // Not percent-encoded after all: the service judges the token as it is.
  }
  return { kind: match[1], token };
}

/**
 * Signs the page in (or shows how), then calls `done` with the administrator.
 * @param {HTMLElement} root @param {SignedIn} done
 */
export async function enter(root, done) {
  const link = takeLinkToken();
  /** @type {string | null} */
  let notice = null;
  if (link?.kind === 'signin') {
    try {
      const { admin } = await api('POST', '/api/signin-link', { token: link.token }, { mayBeSignedOut: true });
      return done(admin);
    } catch (error) {
      notice = `The sign-in link didn't work: ${message(error)}`;
    }
  }
  try {
    const { admin } = await api('GET', '/api/session', undefined, { mayBeSignedOut: true });
    return done(admin);
  } catch (error) {
    const e = /** @type {any} */ (error);
    if (e?.code !== 'signed_out') {
      fill(root, h('p', { class: 'status status-error', role: 'alert' }, `The integration service didn't answer: ${message(error)} Reload the page to try again.`));
      return;
    }
    if (e.details?.setup) return link?.kind === 'setup' ? showSetup(root, link.token, done) : showNoAdministrator(root);
  }
  showSignin(root, done, notice);
}

/**
 * A link opened in a page that is already open only changes the fragment: it is used all the same.
 * @param {HTMLElement} root @param {SignedIn} done
 */
export function watchLinks(root, done) {
  addEventListener('hashchange', async () => {
    if (!/^#(setup|signin)=/.test(location.hash)) return;
    // The view is about to be replaced: a run this page holds gives the connection back first.
    await endOpenRuns();
    enter(root, done);
  });
}

/**
 * The top bar's "Signed in as … · Sign out", or nothing.
 * @param {{ name: string } | null} admin @param {() => void} signedOut
 */
export function showAccount(admin, signedOut) {
  const bar = /** @type {HTMLElement} */ (document.getElementById('account'));
  if (!admin) return fill(bar);
  const signOut = h('button', { type: 'button', class: 'button quiet', onclick: async () => {
    // A run this page holds gives the connection back first: signed out, it couldn't.
    await endOpenRuns();
    try {
      await api('POST', '/api/signout', undefined, { mayBeSignedOut: true });
    } catch {
      // Signed out already, or the service is away: the page leaves the session either way.
    }
    signedOut();
  } }, 'Sign out');
  fill(bar, h('span', { class: 'who' }, 'Signed in as ', h('strong', {}, admin.name)), ' ', signOut);
}
