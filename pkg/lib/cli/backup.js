// `crona-sync backup FILE`: an online copy of the service's store, consistent while the service
// runs (SQLite's backup API). Secrets stay sealed in it: keep the key (secret.key or
// CRONA_SYNC_KEY) apart from the copy, or the copy's secrets can't be opened.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CronaSyncError } from '../errors.js';
import { Store } from '../service/store.js';
import { visible } from '../text.js';

/** The data directory: --data, else ./crona-sync-data. @param {Record<string, any>} flags */
export function dataDir(flags) {
  return resolve(flags.data ?? 'crona-sync-data');
}

/** @param {Record<string, any>} flags */
export async function backup(flags) {
  const file = flags.file;
  if (!file) throw new CronaSyncError('usage', 'Name the file to write: crona-sync backup FILE.');
  if (!existsSync(dirname(resolve(file)))) throw new CronaSyncError('usage', `The folder for ${file} doesn't exist.`);
  if (existsSync(file)) throw new CronaSyncError('usage', `${file} exists already; name a new file (a backup never overwrites one).`);
  const dir = dataDir(flags);
  if (!existsSync(dir)) throw new CronaSyncError('usage', `There is no data directory ${dir} (--data DIR).`);
  const store = Store.open(dir);
  try {
    await store.backup(file);
    const n = store.connections().length;
    process.stdout.write(`Backed up ${n} connection${n === 1 ? '' : 's'} from ${visible(dir)} to ${visible(file)} (secrets sealed; keep the key apart from it).\n`);
  } finally {
    store.close();
  }
  return 0;
}
