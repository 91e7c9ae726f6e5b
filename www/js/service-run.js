// A run as the service records it: starting one takes the connection's lease (so nobody else
// writes meanwhile), the lease is renewed while the page works, and finishing records the outcome
// and saves the next state. The lease must always go back: every way out of a sync or push ends
// in finish(), and a page that goes away finishes with keepalive.
import { api } from './api.js';

/**
 * @typedef {'done' | 'failed' | 'stopped' | 'cancelled'} Outcome
 * @typedef {{ outcome: Outcome, summary: string, report?: unknown, errors?: unknown[], nextState?: object }} Ending
 * @typedef {object} ServiceRun
 * @property {number} id
 * @property {any} state  the state to give the core (null before the first sync)
 * @property {number} stateVersion
 * @property {string} baselineKey
 * @property {{ humaOrganizationId?: string, cronaCompanyId?: string }} identity
 * @property {{ companyId: string, companyName: string }} company
 * @property {(ending: Ending, session?: import('./session-client.js').RemoteSession) => Promise<{ stateVersion: number }>} finish
 *   once; throws the service's refusal (state_conflict). With the session, its report, errors and next state are what is sent (written in its worker)
 * @property {(ending: Ending) => Promise<void>} end  finishes if not finished yet; never rejects (leaving, stopping)
 * @property {Ending} ifLeft  what the run says if the page goes away or signs out now; the steps keep it current
 * @property {boolean} finished
 * @property {{ connectionId: number, lease: string }} relay  what the session's worker needs to reach the relay for this run only
 */

/** The runs this page holds now. @type {Set<ServiceRun>} */
const open = new Set();

/** Finishes every run this page holds, each as it would if the page went away (signing out). */
export function endOpenRuns() {
  return Promise.all([...open].map((run) => run.end(run.ifLeft)));
}

/**
 * Starts a run on the connection. Throws the service's refusal: `locked` (someone else runs),
 * `state_mismatch`, or the credentials' codes.
 * @param {number} connectionId @param {'sync' | 'push'} kind
 * @param {(error: import('../../pkg/web.js').CronaSyncError) => void} onLost  the lease expired and someone else took it
 * @returns {Promise<ServiceRun>}
 */
export async function startRun(connectionId, kind, onLost) {
  const base = `/api/connections/${connectionId}/runs`;
  const started = await api('POST', base, { kind });
  const url = `${base}/${started.run.id}`;
  const token = String(started.lease.token);
  const version = Number(started.state.version);
  const renewing = setInterval(async () => {
    try {
      await api('POST', `${url}/lease`, { token });
    } catch (error) {
      // A failed renewal (the network) is tried again next time; a lost lease or session is final
      // (signed out, the page is on its way to the sign-in form already).
      const code = /** @type {any} */ (error)?.code;
      if (run.finished || (code !== 'lease_lost' && code !== 'signed_out')) return;
      clearInterval(renewing);
      if (code === 'lease_lost') onLost(/** @type {any} */ (error));
      else settle();
    }
  }, Math.max(5_000, Number(started.lease.renewMs) || 30_000));
  const body = (/** @type {Ending} */ e) => ({ token, basedOn: version, ...e, nextState: e.nextState ? { ...e.nextState, connection: started.identity } : undefined });
  const onHide = () => {
    if (run.finished) return;
    settle();
    api('POST', `${url}/finish`, body(run.ifLeft), { keepalive: true }).catch(() => {});
  };
  const settle = () => {
    open.delete(run);
    run.finished = true;
    clearInterval(renewing);
    removeEventListener('pagehide', onHide);
  };
  /** @type {Promise<void>} the finish sent by end(), or nothing to wait for */
  let ended = Promise.resolve();
  /** @type {ServiceRun} */
  const run = {
    id: started.run.id,
    state: started.state.state,
    stateVersion: version,
    baselineKey: started.baselineKey,
    identity: started.identity,
    company: started.company,
    finished: false,
    relay: { connectionId, lease: token },
    ifLeft: { outcome: 'cancelled', summary: 'Left before anything was written (the page was closed, or its administrator signed out).' },
    async finish(ending, session) {
      if (run.finished) throw new Error('this run has finished already');
      settle();
      return api('POST', `${url}/finish`, session
        ? await session.finishBody({ token, basedOn: version, outcome: ending.outcome, summary: ending.summary, connection: started.identity })
        : body(ending));
    },
    end(ending) {
      if (run.finished) return ended;
      settle();
      ended = api('POST', `${url}/finish`, body(ending)).then(() => {}, () => {
        // The lease expires on its own (a couple of minutes) if the service can't be told.
      });
      return ended;
    },
  };
  addEventListener('pagehide', onHide);
  open.add(run);
  return run;
}
