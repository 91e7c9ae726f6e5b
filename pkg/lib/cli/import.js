// `crona-sync import --data DIR`: brings a connection kept in files (the connection file, its
// state and error log) into the integration service's store, once and whole: the credentials
// are verified and sealed, the state keeps its pairs, activation and baseline, the error log its
// entries. The files are left as they were.
import { existsSync, readFileSync } from 'node:fs';
import { CronaSyncError } from '../errors.js';
import { Store } from '../service/store.js';
import { visible } from '../text.js';
import { dataDir } from './backup.js';
import { checkIdentity, errorLogFile, stateFile, transports } from './context.js';
import { readJson } from './files.js';
import { storeConnection } from './home.js';

/** @param {Record<string, any>} flags */
export async function importFiles(flags) {
  const files = { ...flags, connection: flags.connection ?? 'crona-sync.json' };
  if (!existsSync(files.connection)) throw new CronaSyncError('usage', `There is no connection file ${files.connection} to import (--connection FILE).`);
  const statePath = stateFile(files);
  const state = /** @type {any} */ (readJson(statePath, null, 'state file'));
  /** @type {string | undefined} the key the activation code is exchanged for, kept in the store */
  let apiKey;
  const { connection, huma, crona } = transports(files, { onKey: (key) => (apiKey = key) });
  const humaId = await huma.verify();
  const company = await crona.verify();
  const identity = checkIdentity(connection, humaId, company, state);
  const name = connection.file.name ?? company.companyName ?? 'default';
  const store = Store.open(dataDir(flags));
  try {
    const there = store.connection(name);
    if (there && store.state(there.id).version > 0) {
      throw new CronaSyncError('already_imported', `The store already has the connection ${JSON.stringify(name)} with a sync state; it was imported or connected before. Nothing was changed.`, { name });
    }
  } finally {
    store.close();
  }
  const settings = {
    huma: { baseUrl: connection.humaUrl, clientId: connection.humaClientId, organizationId: humaId.organizationId },
    crona: { baseUrl: connection.cronaUrl, companyId: company.companyId || connection.file.crona?.companyId, companyName: company.companyName || connection.file.crona?.companyName },
    scope: connection.scope,
  };
  const secrets = { 'huma.clientSecret': connection.humaClientSecret, 'crona.apiKey': apiKey ?? connection.cronaApiKey, 'crona.activationCode': connection.cronaActivationCode };
  const { id, dir } = storeConnection(flags, { name, settings, secrets });
  const log = errorLogFile(files, statePath);
  const entries = existsSync(log)
    ? readFileSync(log, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return []; // a line cut short by a crash
      }
    })
    : [];
  const again = Store.open(dir);
  try {
    if (state) again.saveState(id, { ...state, connection: identity }, 0);
    again.addErrors(id, entries);
  } finally {
    again.close();
  }
  const pairs = Array.isArray(state?.pairs) ? state.pairs.length : 0;
  process.stdout.write(`Imported ${visible(JSON.stringify(name))} into ${visible(dir)}: the connection, its secrets (sealed), ${state ? `the state (${pairs} pairs${state.activatedAt ? `, active since ${visible(state.activatedAt)}` : ''})` : 'no state (no sync yet)'} and ${entries.length} error log ${entries.length === 1 ? 'entry' : 'entries'}. The files are left as they were; from now on run the commands with --data ${visible(dir)}.\n`);
  return 0;
}
