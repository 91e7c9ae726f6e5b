// Where a connection lives for the CLI: the files beside it (the connection file, the state file,
// a lock file and the error log), or, with --data DIR, the integration service's store (its
// connections, sealed secrets, versioned state, lease, runs and error log). Commands talk to a
// home and don't care which.
import { CronaSyncError } from '../errors.js';
import { Store } from '../service/store.js';
import { claimingTransport } from '../service/claims.js';
import { collision } from '../service/connections.js';
import { Mailer } from '../service/mail.js';
import { visible } from '../text.js';
import { dataDir } from './backup.js';
import { saveResults, stateFile, transports, transportsFor, writeReport } from './context.js';
import { lock, readJson } from './files.js';

/** How long a CLI run's lease lasts without renewal; it renews a third of the way through. */
const LEASE_MS = 10 * 60_000;

/**
 * @typedef {object} Home
 * @property {string | null} statePath  the state file (files only: the held file lives beside it)
 * @property {() => ReturnType<typeof transports>} transports
 * @property {() => any} readState
 * @property {(kind: 'sync' | 'push') => () => void} lock  one run at a time; returns release
 * @property {(report: any, identity: object) => number} saveResults  state, report, error log; the exit code
 * @property {(error: unknown) => void} fail  records a run that ended without a report
 * @property {(summary: string) => void} [note]  records a run that wrote nothing and saved no state (a drift check)
 * @property {(report: any) => Promise<void>} [after]  after a sync: held events it covers, the result e-mail
 * @property {() => void} close
 */

/**
 * @typedef {object} ServiceRun  a run the integration service starts itself (a webhook push, the
 *   schedule): on its open store, for one connection, under its own name
 * @property {Store} store
 * @property {import('../service/store.js').StoredConnection} connection
 * @property {'push' | 'webhook' | 'scheduled' | 'drift'} kind
 * @property {string} startedBy   'webhooks', 'schedule', or an administrator
 */

/** @param {Record<string, any>} flags @param {ServiceRun} [service] @returns {Home} */
export function openHome(flags, service) {
  return service ? storeHome(flags, service) : flags.data ? storeHome(flags) : fileHome(flags);
}

/** @param {Record<string, any>} flags @returns {Home} */
function fileHome(flags) {
  const path = stateFile(flags);
  return {
    statePath: path,
    transports: () => transports(flags),
    readState: () => readJson(path, null, 'state file'),
    lock: () => lock(`${path}.lock`),
    saveResults: (report, identity) => saveResults(flags, path, report, identity),
    fail: () => {},
    close: () => {},
  };
}

/**
 * The connection a command works on: the one the store has, or the one --connection names.
 * @param {Store} store @param {string | undefined} name
 */
export function pickConnection(store, name) {
  const all = store.connections();
  if (name !== undefined) {
    const c = all.find((x) => x.name === name);
    if (!c) throw new CronaSyncError('usage', `The store has no connection named ${JSON.stringify(name)}${all.length ? ` (it has ${all.map((x) => JSON.stringify(x.name)).join(', ')})` : ''}.`);
    return c;
  }
  if (all.length === 1) return all[0];
  if (!all.length) throw new CronaSyncError('usage', `The store in ${store.dir} has no connection yet: run crona-sync connect --data ${store.dir} first.`);
  throw new CronaSyncError('usage', `The store has ${all.length} connections (${all.map((x) => JSON.stringify(x.name)).join(', ')}): name one with --connection NAME.`);
}

/** @param {Record<string, any>} flags @param {ServiceRun} [service] @returns {Home} */
function storeHome(flags, service) {
  const store = service?.store ?? Store.open(dataDir(flags));
  try {
    const c = service?.connection ?? pickConnection(store, flags.connection);
    let version = 0;
    /** @type {number | null} */
    let runId = null;
    /** @type {string | null} the lease this run holds */
    let lease = null;
    /** @type {string | null} when this run started */
    let startedAt = null;
    return {
      statePath: null,
      transports() {
        const s = c.settings;
        const secret = (/** @type {string} */ name) => store.secret(c.id, name) ?? undefined;
        const connection = {
          name: c.name,
          humaUrl: s.huma?.baseUrl,
          cronaUrl: s.crona?.baseUrl,
          humaClientId: s.huma?.clientId,
          humaClientSecret: secret('huma.clientSecret') ?? '',
          cronaApiKey: secret('crona.apiKey'),
          cronaActivationCode: secret('crona.activationCode'),
          scope: { companies: s.scope?.companies ?? [], teams: s.scope?.teams ?? [], locations: s.scope?.locations ?? [] },
          file: s,
        };
        // The state in the store keeps fingerprints of what both sides agreed on, not values.
        // The Crona key is kept (exchanged again only when Crona refuses it); a key names no
        // company, so the one it was exchanged for at connect stands.
        const t = transportsFor(connection, { baselineKey: store.baselineKey(c.id) }, { onKey: (key) => store.setSecret(c.id, 'crona.apiKey', key) });
        const crona = Object.freeze({ ...t.crona, verify: async (/** @type {{ signal?: AbortSignal }} */ o) => {
          const r = await t.crona.verify(o);
          return r.companyId ? r : { companyId: s.crona?.companyId ?? '', companyName: s.crona?.companyName ?? '' };
        } });
        return { ...t, huma: claimingTransport(store, c.id, t.huma), crona };
      },
      readState() {
        const s = store.state(c.id);
        version = s.version;
        return s.state;
      },
      lock(kind) {
        const runKind = service?.kind ?? kind;
        const holder = service ? `the service (${service.startedBy} ${runKind})` : `crona-sync ${kind} on the command line (process ${process.pid})`;
        const token = store.takeLease(c.id, holder, LEASE_MS);
        lease = token;
        const renew = setInterval(() => store.renewLease(c.id, token, LEASE_MS), LEASE_MS / 3);
        renew.unref();
        runId = store.startRun(c.id, runKind, service?.startedBy ?? 'command line', { leaseToken: token, basedOn: store.state(c.id).version });
        startedAt = store.run(runId)?.startedAt ?? null;
        return () => {
          clearInterval(renew);
          store.releaseLease(c.id, token);
        };
      },
      saveResults(report, identity) {
        let exit = report.errors.length ? 1 : 0;
        try {
          if (lease !== null && !store.holdsLease(c.id, lease)) {
            throw new CronaSyncError('lease_lost', 'this run lost the connection to another run while it worked (its lease ran out); run the sync again to see where things stand');
          }
          store.saveState(c.id, { ...report.nextState, connection: identity }, version);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          process.stderr.write(`crona-sync: the writes are done, but the state couldn't be saved: ${visible(why)}\n`);
          exit = 1;
        }
        if (runId !== null) {
          store.finishRun(runId, { outcome: report.errors.length ? 'failed' : 'done', summary: report.summary.text, report, errors: report.errors });
          runId = null;
        }
        if (!service) writeReport(flags, report);
        return exit;
      },
      async after(report) {
        const failed = new Set(report.errors.map((/** @type {any} */ e) => e.person?.humaId).filter(Boolean));
        const covered = startedAt ? store.coverHeld(c.id, startedAt, failed) : 0;
        if (covered) process.stderr.write(`${covered} held webhook push(es) are covered by this sync and no longer wait.\n`);
        await new Mailer(store, (line) => process.stderr.write(`crona-sync: ${visible(line)}\n`)).afterRun(c, 'sync', report);
      },
      note(summary) {
        if (runId === null) return;
        store.finishRun(runId, { outcome: 'done', summary });
        runId = null;
      },
      fail(error) {
        if (runId === null) return;
        const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', String(error instanceof Error ? error.message : error));
        store.finishRun(runId, { outcome: e.code === 'mass_change_refused' || e.code === 'not_confirmed' ? 'refused' : 'failed', summary: `${e.code}: ${e.message}`, errors: [{ code: e.code, message: e.message }] });
        runId = null;
      },
      close: () => service || store.close(),
    };
  } catch (error) {
    if (!service) store.close();
    throw error;
  }
}

/**
 * `connect --data DIR`: the verified connection and its secrets, sealed, into the store (a new
 * one, or the one of that name, updated).
 * @param {Record<string, any>} flags
 * @param {{ name: string, settings: Record<string, any>, secrets: Record<string, string | undefined> }} c
 */
export function storeConnection(flags, c) {
  const store = Store.open(dataDir(flags));
  try {
    const existing = store.connection(c.name);
    const clash = collision(store.connections().filter((o) => o.name !== c.name), c.settings);
    if (clash) throw new CronaSyncError('connection_collision', clash.message, { name: c.name, with: clash.with });
    if (!existing) return { id: store.addConnection(c), created: true, dir: store.dir };
    // Not under a running sync or push: its writes must reach the systems it read.
    const token = store.takeLease(existing.id, `crona-sync connect on the command line (process ${process.pid})`, 60_000);
    try {
      store.updateConnection(existing.id, existing.name, c.settings, c.secrets);
    } finally {
      store.releaseLease(existing.id, token);
    }
    return { id: existing.id, created: false, dir: store.dir };
  } finally {
    store.close();
  }
}
