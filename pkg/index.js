// crona-sync for Node: the nodejs wasm build instantiates synchronously, so everything is ready
// at import. Browsers get web.js through the package's "exports" conditions.
import { createRequire } from 'node:module';
import { useCore } from './lib/core.js';

const require = createRequire(import.meta.url);
useCore(require('./node/crona_sync.js'));

export { version, checkConfig, fields, fieldLabel, validateBankAccount, parseBankAccount, SyncSession } from './lib/core.js';
export { CronaSyncError } from './lib/errors.js';
export { drive } from './lib/drive.js';
export { humaTransport } from './lib/huma.js';
export { cronaTransport } from './lib/crona.js';
export { relayTransport } from './lib/relay.js';

/** Node needs no initialisation; kept so code written for browsers runs unchanged. */
export default async function init() {}
