// The integration page: loads the wasm core, signs in to the integration service, then shows the
// connections, the connection form and the "Synchronize users" wizard. The page drives the core
// (drive() through the service's relay); the core decides; the service stores, relays and
// authenticates. Views replace the content of <main> and move focus to their heading.
import init, { CronaSyncError, checkConfig, version } from '../pkg/web.js';
import { onSignedOut } from './js/api.js';
import { fill, h } from './js/dom.js';
import { enter, showAccount, watchLinks } from './js/session.js';
import { showConnections } from './js/views/connections.js';
import { showSignin } from './js/views/signin.js';
import { showConnectionForm } from './js/views/connection-form.js';
import { showWizard } from './js/wizard/wizard.js';
import { showPush } from './js/views/push.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/**
 * @typedef {import('./js/api.js').Connection} Connection
 * @typedef {object} Nav
 * @property {(focusId?: string) => void} home
 * @property {(c: Connection | null) => void} edit
 * @property {(c: Connection) => void} sync
 * @property {(c: Connection) => void} push
 * @property {(notice?: string) => void} signedOut
 */

/** @type {Nav} */
const nav = {
  home: (focusId) => void showConnections(root, nav, focusId),
  edit: (c) => showConnectionForm(root, nav, c),
  sync: (c) => showWizard(root, nav, c),
  push: (c) => showPush(root, nav, c),
  signedOut: (notice) => {
    showAccount(null, nav.signedOut);
    showSignin(root, signedIn, notice);
  },
};

/** @param {{ name: string }} admin */
function signedIn(admin) {
  showAccount(admin, () => nav.signedOut());
  nav.home();
}

onSignedOut(() => nav.signedOut('You are signed out (the session ended or was closed elsewhere): sign in again to continue.'));

/** The core loads, fills in defaults and refuses an impossible date with a coded error. */
function selfCheck() {
  const today = new Date().toISOString().slice(0, 10);
  const checked = checkConfig({ today, now: new Date().toISOString() });
  if (checked.options.pageSize !== 50) throw new Error('the core returned unexpected defaults');
  try {
    checkConfig({ today: '2026-02-30', now: new Date().toISOString() });
  } catch (error) {
    if (error instanceof CronaSyncError && error.code === 'invalid_config') return;
  }
  throw new Error('the core accepted an impossible date');
}

async function start() {
  const started = performance.now();
  try {
    await init();
    selfCheck();
  } catch (error) {
    fill(root, h('p', { class: 'status status-error', role: 'alert' }, `The sync engine couldn't start: ${error instanceof Error ? error.message : String(error)}`));
    /** @type {HTMLElement} */ (document.getElementById('core-version')).textContent = 'engine unavailable';
    return;
  }
  const ms = Math.round(performance.now() - started);
  const v = /** @type {HTMLElement} */ (document.getElementById('core-version'));
  v.textContent = `engine ${version()}`;
  v.title = `Self check passed: engine ${version()} loaded in ${ms} ms.`;
  v.dataset.version = version();
  watchLinks(root, signedIn);
  await enter(root, signedIn);
}

// A page restored from the back-forward cache finished its run when it was hidden: start over
// rather than show a wizard that no longer holds the connection.
addEventListener('pageshow', (event) => {
  if (event.persisted) location.reload();
});

start();
