// The integration page's entry: load the wasm core and prove it works (the wizard comes later).
import init, { CronaSyncError, checkConfig, version } from '../pkg/web.js';

const versionEl = /** @type {HTMLElement} */ (document.getElementById('core-version'));
const statusEl = /** @type {HTMLElement} */ (document.getElementById('self-check'));

/**
 * @param {'ok' | 'error'} kind
 * @param {string} text
 */
function show(kind, text) {
  statusEl.textContent = text;
  statusEl.className = `status status-${kind}`;
  statusEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

/** Runs what the page relies on: the core loads, checks a config, and reports errors with codes. */
async function selfCheck() {
  const started = performance.now();
  await init();
  const loadMs = Math.round(performance.now() - started);
  versionEl.textContent = version();

  const today = new Date().toISOString().slice(0, 10);
  const checked = checkConfig({ today, now: new Date().toISOString() });
  if (checked.options.pageSize !== 50) throw new Error('the core returned unexpected defaults');

  let refused = null;
  try {
    checkConfig({ today: '2026-02-30', now: new Date().toISOString() });
  } catch (error) {
    refused = error;
  }
  if (!(refused instanceof CronaSyncError) || refused.code !== 'invalid_config') {
    throw new Error('the core accepted an impossible date');
  }
  return loadMs;
}

selfCheck().then(
  (ms) => show('ok', `Self check passed: engine ${version()} loaded in ${ms} ms, checks settings and reports errors with codes.`),
  (error) => {
    versionEl.textContent = 'unavailable';
    show('error', `Self check failed: ${error instanceof Error ? error.message : String(error)}`);
  },
);
