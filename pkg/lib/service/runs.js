// A run started from the page: the service verifies both credentials, checks them against the
// state's recorded systems, takes the connection's lease and records the run with the
// administrator who started it. The page then fetches, decides and writes through the relay,
// renews the lease while it works, and finishes: the state is saved only over the version it
// started from, the run and its errors are recorded, and the lease is released in every case.
import { CronaSyncError } from '../errors.js';
import { connectionTransports } from './connections.js';
import { identityDiffers, nextIdentity } from '../identity.js';

/** A page's lease lasts this long without renewal; a closed tab's lease is free again after it. */
export const LEASE_MS = 2 * 60_000;
export const RENEW_MS = 30_000;
const OUTCOMES = ['done', 'failed', 'stopped', 'cancelled'];

/** @typedef {import('./store.js').Store} Store */

/**
 * The systems both credentials reach, checked against what the state was made with: a state
 * used with other systems would pair strangers.
 * @param {Store} store @param {import('./store.js').StoredConnection} c @param {any} state
 * @param {{ fetch?: typeof fetch }} [options]
 */
export async function verifyIdentity(store, c, state, options = {}) {
  const t = connectionTransports(store, c, { retry: { retries: 2 }, ...options });
  const [{ organizationId }, named] = await Promise.all([t.huma.verify(), t.crona.verify()]);
  const company = named.companyId ? named : { companyId: c.settings.crona?.companyId ?? '', companyName: c.settings.crona?.companyName ?? '' };
  const reached = { humaOrganizationId: organizationId, cronaCompanyId: company.companyId };
  if (identityDiffers(state?.connection, reached) || identityDiffers({ cronaCompanyId: c.settings.crona?.companyId }, reached)) {
    throw new CronaSyncError('state_mismatch', `The credentials of "${c.name}" now reach other systems than its sync state was made with (${company.companyName || company.companyId}). Check the connection's credentials; nothing was read or written.`);
  }
  return { identity: nextIdentity(state?.connection, reached), company };
}

/**
 * Starts a run: verified, leased, recorded. A verification that fails is recorded as a failed
 * run too (the error log shows every attempt) and thrown.
 * @param {Store} store @param {number} id @param {{ name: string }} admin @param {unknown} kind
 * @param {{ fetch?: typeof fetch }} [options]
 */
export async function startRun(store, id, admin, kind, options = {}) {
  if (kind !== 'sync' && kind !== 'push') throw new CronaSyncError('invalid_argument', 'kind must be "sync" or "push".', { field: 'kind' });
  const c = store.connection(id);
  if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`, { connection: id });
  const holder = `${admin.name} (page)`;
  const token = store.takeLease(c.id, holder, LEASE_MS);
  const { version, state } = store.state(c.id);
  const runId = store.startRun(c.id, kind, admin.name, { leaseToken: token, basedOn: version });
  try {
    const { identity, company } = await verifyIdentity(store, c, state, options);
    // The verification may have taken a while: the page's renewals start from here.
    if (!store.renewLease(c.id, token, LEASE_MS)) throw new CronaSyncError('lease_lost', 'The connection was taken over while its credentials were checked; try again.');
    const lease = store.lease(c.id);
    return {
      run: { id: runId },
      lease: { token, expiresAt: lease?.expiresAt ?? null, renewMs: RENEW_MS },
      state: { version, state },
      baselineKey: store.baselineKey(c.id),
      identity,
      company,
    };
  } catch (error) {
    const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', String(error instanceof Error ? error.message : error));
    store.finishRun(runId, { outcome: 'failed', summary: `Couldn't start: ${e.message}`, errors: [{ code: e.code, message: e.message }] });
    store.releaseLease(c.id, token);
    throw e;
  }
}

/**
 * The run, if it is this connection's and the token is the one it was started with: only the
 * page that started a run renews or finishes it.
 * @param {Store} store @param {number} id @param {number} runId @param {unknown} token
 */
function ownRun(store, id, runId, token) {
  const run = store.run(runId);
  if (!run || run.connectionId !== id) throw new CronaSyncError('not_found', `There is no run ${runId} on connection ${id}.`, { run: runId });
  if (!store.runHolds(runId, token)) throw new CronaSyncError('not_your_run', `Run ${runId} was started by another page or process; only it can renew or finish the run.`, { run: runId });
  return run;
}

/** Extends the run's lease. @param {Store} store @param {number} id @param {number} runId @param {unknown} token */
export function renewRun(store, id, runId, token) {
  const run = ownRun(store, id, runId, token);
  if (run.finishedAt || !store.renewLease(id, /** @type {string} */ (token), LEASE_MS)) {
    throw new CronaSyncError('lease_lost', 'This run no longer holds the connection: its lease expired and someone else started a run. Stop here; run the sync again to see where things stand.');
  }
  return { expiresAt: store.lease(id)?.expiresAt ?? null };
}

/**
 * Finishes a run: the state over the version it started from, the run with its report and
 * errors, the lease released. A stale state is refused after the run is recorded.
 * @param {Store} store @param {number} id @param {number} runId @param {Record<string, any>} body
 */
export function finishRun(store, id, runId, body) {
  const run = ownRun(store, id, runId, body.token);
  if (run.finishedAt) {
    // Finished already (twice sent, or closed when its lease ran out): the lease goes back all the same.
    store.releaseLease(id, body.token);
    throw new CronaSyncError('run_finished', `Run ${runId} has finished already (${run.outcome}: ${run.summary}). Nothing more was recorded or saved.`, { run: runId });
  }
  if (!OUTCOMES.includes(body.outcome)) throw new CronaSyncError('invalid_argument', `outcome must be one of ${OUTCOMES.join(', ')}.`, { field: 'outcome' });
  const errors = Array.isArray(body.errors) ? body.errors : [];
  /** @type {CronaSyncError | null} */
  let conflict = null;
  let stateVersion = store.state(id).version;
  if (body.nextState && typeof body.nextState === 'object' && !store.holdsLease(id, body.token)) {
    // Someone else took the connection over: whatever they do, this run's state can't be theirs.
    conflict = new CronaSyncError('lease_lost', 'The writes are done and recorded, but the sync state wasn\'t saved: this run lost the connection to another run while it worked. Run the sync again to see where things stand.');
  } else if (body.nextState && typeof body.nextState === 'object') {
    try {
      stateVersion = store.saveState(id, body.nextState, store.runBasedOn(runId) ?? -1);
    } catch (error) {
      if (!(error instanceof CronaSyncError) || error.code !== 'state_conflict') throw error;
      conflict = new CronaSyncError('state_conflict', `The writes are done and recorded, but the sync state wasn't saved: ${error.message}`, error.details);
    }
  }
  if (!conflict && run.kind === 'sync' && body.nextState && (body.outcome === 'done' || body.outcome === 'failed')) {
    const failed = new Set(errors.map((/** @type {any} */ e) => e?.person?.humaId).filter(Boolean));
    store.coverHeld(id, run.startedAt, failed);
  }
  const summary = typeof body.summary === 'string' ? body.summary : body.outcome;
  const logged = conflict ? [...errors, { code: conflict.code, message: conflict.message }] : errors;
  store.finishRun(runId, { outcome: body.outcome, summary, report: body.report ?? undefined, errors: logged });
  store.releaseLease(id, body.token);
  if (conflict) throw conflict;
  return { stateVersion };
}
