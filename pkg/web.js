// crona-sync for browsers: `await init()` once, then use the exports.
import initWasm, * as wasm from './web/crona_sync.js';
import { useCore } from './lib/core.js';

export { version, checkConfig, fields, fieldLabel, validateBankAccount, parseBankAccount, SyncSession } from './lib/core.js';
export { CronaSyncError } from './lib/errors.js';
export { drive } from './lib/drive.js';
export { humaTransport } from './lib/huma.js';
export { cronaTransport } from './lib/crona.js';
export { relayTransport } from './lib/relay.js';

/** @type {Promise<void> | null} */
let loading = null;

/**
 * Loads the wasm core. Safe to call more than once; later calls wait for the first.
 * @param {{ module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }} [options]
 * @returns {Promise<void>}
 */
export default function init(options) {
  loading ??= initWasm(options).then(() => {
    useCore(/** @type {any} */ (wasm));
  });
  return loading;
}
