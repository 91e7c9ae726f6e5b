// `crona-sync serve --data DIR`: the integration service (pkg/lib/service/server.js) until
// SIGTERM or Ctrl-C.
import { CronaSyncError } from '../errors.js';
import { startService } from '../service/server.js';
import { dataDir } from './backup.js';

/** @param {string | undefined} text @param {string} flag @param {number} fallback @param {number} min */
function whole(text, flag, fallback, min) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new CronaSyncError('usage', `--${flag} must be a whole number ≥ ${min}; got ${JSON.stringify(text)}.`);
  return n;
}

/** @param {Record<string, any>} flags */
export async function runService(flags) {
  const service = await startService({
    data: dataDir(flags),
    port: whole(flags.port, 'port', 8787, 0),
    host: flags.host ?? '127.0.0.1',
    trustProxy: Boolean(flags['trust-proxy']),
    publicUrl: flags['public-url'],
    retainDays: whole(flags['retain-days'], 'retain-days', 90, 1),
    debounceMs: whole(flags.debounce, 'debounce', 2000, 0),
  });
  return new Promise((resolve) => {
    const stop = async () => {
      process.stdout.write('stopping: no new requests; the store is closed cleanly\n');
      await service.close();
      resolve(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
