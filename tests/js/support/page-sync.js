// A sync as the integration page runs it, with the real wasm core in Node: the run started in
// the service (verified, leased), both registers read and the plan written through the relay,
// the run finished with the report and the next state.
import assert from 'node:assert/strict';
import { SyncSession, drive, relayTransport } from '../../../pkg/index.js';

/**
 * @param {{ svc: { url: string }, id: number, call: Function }} s  the service (support/service.js)
 * @param {string} cookie  a signed-in session
 * @param {import('../../../pkg/index.js').Decisions} decisions
 */
export async function pageSync(s, cookie, decisions) {
  const start = await s.call('POST', `/api/connections/${s.id}/runs`, { kind: 'sync' }, { cookie });
  assert.equal(start.status, 201, start.text);
  const { run, lease, state, baselineKey, identity } = start.json;
  /** fetch with the page's session and origin, as a browser sends them. @type {typeof fetch} */
  const pageFetch = (input, init = {}) => fetch(input, { ...init, headers: { ...init.headers, cookie, origin: s.svc.url } });
  const headers = { 'x-crona-sync-lease': lease.token };
  const transports = {
    huma: relayTransport({ baseUrl: `${s.svc.url}/relay/${s.id}/huma`, system: 'huma', fetch: pageFetch, headers }),
    crona: relayTransport({ baseUrl: `${s.svc.url}/relay/${s.id}/crona`, system: 'crona', fetch: pageFetch, headers }),
  };
  const session = new SyncSession({ today: '2026-11-25', now: '2026-11-25T09:00:00+01:00', state: state.state, options: { baselineKey } });
  try {
    await drive(session, transports, { concurrency: 4 });
    const preview = session.preview();
    const plan = session.plan(decisions);
    session.apply(plan.hash, { allowMassChange: true });
    await drive(session, transports, { concurrency: 4 });
    const report = session.report();
    const finish = await s.call('POST', `/api/connections/${s.id}/runs/${run.id}/finish`, {
      token: lease.token, outcome: report.errors.length ? 'failed' : 'done', summary: report.summary.text, report, errors: report.errors,
      nextState: { ...report.nextState, connection: identity },
    }, { cookie });
    return { preview, plan, report, finish };
  } finally {
    session.free();
  }
}
