// What every command that talks to both systems shares: the transports, the identity check,
// the fetch, and where the state, report and error log go afterwards.
import { appendFileSync, chmodSync } from 'node:fs';
import { SyncSession, cronaTransport, drive, humaTransport } from '../../index.js';
import { CronaSyncError } from '../errors.js';
import { resolveConnection } from './connection.js';
import { writeAtomic } from './files.js';
import { stockholmDate } from '../clock.js';
import { identityDiffers, nextIdentity } from '../identity.js';
import { progressBar } from './progress.js';
import { colours, reportText } from '../render.js';
import { visible, visibleJson } from '../text.js';

/** @typedef {Record<string, any>} Flags */

/**
 * The connection from files and the environment, its transports, and the session options it
 * brings (none: a store's connection brings its fingerprint key).
 * @param {Flags} flags
 * @param {{ onKey?: (apiKey: string) => void }} [crona]  told the key a new Crona exchange gives
 * @returns {{ connection: import('./connection.js').Connection, huma: import('../../index.js').HumaTransport, crona: import('../../index.js').CronaTransport, options?: import('../../index.js').SessionOptions }}
 */
export function transports(flags, crona = {}) {
  return transportsFor(resolveConnection(/** @type {any} */ (flags), process.env), undefined, crona);
}

/**
 * The transports of a resolved connection, wherever it came from.
 * @param {import('./connection.js').Connection} c
 * @param {import('../../index.js').SessionOptions} [options]
 * @param {{ onKey?: (apiKey: string) => void }} [extra]  told the key a new Crona exchange gives
 */
export function transportsFor(c, options, extra = {}) {
  const huma = humaTransport({ baseUrl: c.humaUrl, clientId: c.humaClientId, clientSecret: c.humaClientSecret });
  const crona = cronaTransport({ baseUrl: c.cronaUrl, apiKey: c.cronaApiKey, activationCode: c.cronaActivationCode, onKey: extra.onKey });
  return { connection: c, huma, crona, options };
}

/** Today in Sweden, where the payroll runs. */
export function today() {
  return stockholmDate(new Date());
}

/** @param {Flags} flags */
export function stateFile(flags) {
  return flags.state ?? String(flags.connection).replace(/\.json$/, '') + '.state.json';
}

/**
 * The state and the connection file must belong to the systems these credentials reach: a
 * state of another connection would pair strangers by its remembered pairs.
 * @param {import('./connection.js').Connection} connection
 * @param {{ organizationId: string }} humaId
 * @param {{ companyId: string, companyName: string }} company
 * @param {any} state
 */
export function checkIdentity(connection, humaId, company, state) {
  const fileCompany = connection.file.crona?.companyId;
  if (fileCompany && company.companyId && fileCompany !== company.companyId) {
    throw new CronaSyncError('connection_mismatch', `These Crona credentials reach ${company.companyName}, but the connection file is for another company (${connection.file.crona?.companyName ?? fileCompany}). Use its own connection file, or run connect again.`);
  }
  const recorded = state?.connection ?? {};
  if (recorded.cronaCompanyId && !company.companyId) {
    process.stderr.write(`crona-sync: with a Crona API key alone the company can't be checked; make sure ${visible(connection.file.crona?.companyName ?? 'this state')} is the company these credentials reach.\n`);
  }
  const reached = { humaOrganizationId: humaId.organizationId, cronaCompanyId: company.companyId };
  if (identityDiffers(recorded, reached)) {
    const whose = [recorded.cronaCompanyId && `Crona company ${recorded.cronaCompanyId}`, recorded.humaOrganizationId && `Huma organisation ${recorded.humaOrganizationId}`].filter(Boolean).join(', ');
    throw new CronaSyncError('state_mismatch', `The state file belongs to another connection (${whose}). Use --state to name this connection's state file.`);
  }
  return nextIdentity(recorded, reached);
}

/**
 * Verifies both credentials against the state, then fetches.
 * @param {Flags} flags @param {any} state
 * @param {{ mode?: 'push', humaUserIds?: string[], options?: object }} [extra]  session config
 * @param {boolean} [quiet]  no progress bar
 * @param {ReturnType<typeof transports>} [source]  the connection and its transports
 */
export async function fetchPreview(flags, state, extra = {}, quiet = Boolean(flags.json), source = transports(flags)) {
  const { connection, huma, crona } = source;
  const identity = checkIdentity(connection, await huma.verify(), await crona.verify(), state);
  const options = { ...source.options, ...extra.options };
  const session = new SyncSession({ today: flags.today ?? today(), now: new Date().toISOString(), state, scope: connection.scope, ...extra, options });
  const bar = quiet ? progressBar('') : progressBar('Fetching');
  try {
    await drive(session, { huma, crona }, { concurrency: Number(flags.concurrency ?? 6), onProgress: () => bar.fetch(session.progress()) });
  } finally {
    bar.done();
  }
  return { session, huma, crona, connection, identity };
}

/**
 * Stores what a run leaves behind: the state (atomically, mode 600), the report if asked, and
 * the failures in the error log. The result was already printed, so nothing here can lose it;
 * a file that can't be written is reported, never silent. Returns the exit code.
 * @param {Flags} flags @param {string} path @param {any} report @param {object} identity
 */
export function saveResults(flags, path, report, identity) {
  let exit = report.errors.length ? 1 : 0;
  try {
    writeAtomic(path, JSON.stringify({ ...report.nextState, connection: identity }, null, 2) + '\n', { mode: 0o600 });
  } catch (error) {
    process.stderr.write(`crona-sync: the writes are done, but the state couldn't be saved to ${visible(path)} (${visible(error instanceof Error ? error.message : error)}). The next sync starts from the previous state: check its preview before applying it.\n`);
    exit = 1;
  }
  writeReport(flags, report);
  if (!appendErrorLog(flags, path, report.errors)) exit = Math.max(exit, 1);
  return exit;
}

/** The report files, when --report names one; a file that can't be written is said, never silent. @param {Flags} flags @param {any} report */
export function writeReport(flags, report) {
  if (!flags.report) return;
  try {
    writeAtomic(flags.report, visibleJson(report, 2) + '\n', { mode: 0o600 });
    writeAtomic(`${flags.report}.txt`, reportText(report, colours({ isTTY: false })), { mode: 0o600 });
  } catch (error) {
    process.stderr.write(`crona-sync: couldn't write the report: ${visible(error instanceof Error ? error.message : error)}\n`);
  }
}

/** The error log beside the state file, unless --error-log names one. @param {Flags} flags @param {string} statePath */
export function errorLogFile(flags, statePath) {
  return flags['error-log'] ?? statePath.replace(/\.state\.json$/, '') + '.errors.jsonl';
}

/**
 * Appends entries (one JSON object a line, mode 600); false, with a warning, when it can't.
 * @param {Flags} flags @param {string} statePath @param {object[]} entries
 */
export function appendErrorLog(flags, statePath, entries) {
  if (!entries.length) return true;
  const log = errorLogFile(flags, statePath);
  try {
    // Read with cat and tail -f: bidi and C1 characters escaped too (still the same JSON values).
    appendFileSync(log, entries.map((e) => visibleJson(e)).join('\n') + '\n', { mode: 0o600 });
    chmodSync(log, 0o600); // a log that already existed keeps its mode otherwise
    return true;
  } catch (error) {
    process.stderr.write(`crona-sync: couldn't write the error log ${visible(log)}: ${visible(error instanceof Error ? error.message : error)}\n`);
    return false;
  }
}
