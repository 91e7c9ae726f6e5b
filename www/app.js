// The integration page: loads the wasm core, then shows the connections, the connection form
// and the "Synchronize users" wizard. The page does the HTTP (drive() and the transports); the
// core decides. Views replace the content of <main> and move focus to their heading.
import init, { CronaSyncError, checkConfig, version } from '../pkg/web.js';
import { fill, h } from './js/dom.js';
import { presetSandbox } from './js/sandbox-preset.js';
import { showConnections } from './js/views/connections.js';
import { showConnectionForm } from './js/views/connection-form.js';
import { showWizard } from './js/wizard/wizard.js';
import { showPush } from './js/views/push.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/**
 * @typedef {object} Nav
 * @property {(focusId?: string) => void} home
 * @property {(id: string | null) => void} edit
 * @property {(id: string) => void} sync
 * @property {(id: string) => void} push
 */

/** @type {Nav} */
const nav = {
  home: (focusId) => showConnections(root, nav, focusId),
  edit: (id) => showConnectionForm(root, nav, id),
  sync: (id) => showWizard(root, nav, id),
  push: (id) => showPush(root, nav, id),
};

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
  await presetSandbox();
  nav.home();
}

start();
