// The core's own thread: a dedicated worker owns the wasm instance, the SyncSession, the drive()
// loop and the relay socket, so reading 10,000 people (tens of thousands of answers) and every
// call into the core leave the page's thread free to draw and to answer clicks. The page talks to
// it through session-client.js: a request is { id, op, ... }, the answer { id, value } or
// { id, error }; progress goes out as { id, progress }, at most every PROGRESS_MS.
import init, { CronaSyncError, SyncSession, drive } from '../../pkg/web.js';
import { relayTransports } from './transports.js';

/** How often progress goes to the page: often enough to look live, rarely enough to cost nothing. */
const PROGRESS_MS = 100;

/** What the page may call on the session; poll and handle are drive()'s, here. */
const CALLS = new Set(['preview', 'plan', 'apply', 'report', 'progress']);

/** The page's sessions, by the id the page gave each, with the transports of its run. */
/** @type {Map<number, { session: SyncSession, transports: ReturnType<typeof relayTransports>, report?: any }>} */
const sessions = new Map();
/** The drive() calls running, by request id: `abort` cancels everything, `stop` stops sending. */
/** @type {Map<number, { session: number, abort: AbortController, stop: AbortController }>} */
const driving = new Map();

/** @param {MessageEvent} event */
onmessage = async (event) => {
  const m = event.data;
  if (m.op === 'abort' || m.op === 'stop') return driving.get(m.of)?.[/** @type {'abort' | 'stop'} */ (m.op)].abort();
  try {
    postMessage({ id: m.id, value: await run(m) });
  } catch (error) {
    postMessage({ id: m.id, error: plain(error) });
  }
};

/** @param {any} m */
async function run(m) {
  switch (m.op) {
    case 'start':
      await init();
      sessions.set(m.session, { session: new SyncSession(m.options), transports: relayTransports(m.relay.connectionId, m.relay.lease) });
      return null;
    case 'drive': {
      const { session: s, transports } = live(m.session);
      const controls = { session: m.session, abort: new AbortController(), stop: new AbortController() };
      driving.set(m.id, controls);
      let last = 0;
      /** @type {any} */
      let latest = null;
      /** @type {ReturnType<typeof setTimeout> | null} the latest progress, held back until it is due */
      let due = null;
      const send = () => {
        if (due) clearTimeout(due);
        due = null;
        last = performance.now();
        postMessage({ id: m.id, progress: { ...latest, fetch: s.progress() } });
      };
      try {
        await drive(s, transports, {
          concurrency: 6,
          signal: controls.abort.signal,
          stop: m.stoppable ? controls.stop.signal : undefined,
          onProgress: (p) => {
            latest = p;
            // The last progress before a quiet spell (an API slow to answer) still goes out.
            due ??= setTimeout(send, Math.max(0, PROGRESS_MS - (performance.now() - last)));
          },
        });
        if (latest) send();
        return null;
      } finally {
        if (due) clearTimeout(due);
        driving.delete(m.id);
      }
    }
    case 'finish-body': {
      // The run's finish as the service takes it, written here: for 10,000 people the report and
      // the next state are megabytes of JSON, and a Blob crosses to the page without a copy.
      const report = reportOf(live(m.session));
      const { connection, ...head } = m.head;
      const body = { ...head, report, errors: report.errors, nextState: { ...report.nextState, connection } };
      return new Blob([JSON.stringify(body)], { type: 'application/json' });
    }
    case 'call':
      if (!CALLS.has(m.method)) throw new CronaSyncError('invalid_argument', `The session's worker has no method ${JSON.stringify(m.method)}.`);
      if (m.method === 'report') return reportOf(live(m.session));
      return /** @type {any} */ (live(m.session).session)[m.method](...m.args);
    case 'free': {
      // A session let go while it reads (the wizard left) stops reading first.
      for (const d of driving.values()) if (d.session === m.session) d.abort.abort();
      const it = sessions.get(m.session);
      sessions.delete(m.session);
      it?.session.free();
      it?.transports.close();
      return null;
    }
    default:
      throw new CronaSyncError('invalid_argument', `The session's worker has no operation ${JSON.stringify(m.op)}.`);
  }
}

/** @param {number} id */
function live(id) {
  const it = sessions.get(id);
  if (!it) throw new CronaSyncError('invalid_argument', 'The session has been freed (or was never started).');
  return it;
}

/**
 * The session's report, made once: it is final when the session is done, and the result step and
 * the run's finish both ask for it (at 10,000 people it is megabytes).
 * @param {{ session: SyncSession, report?: any }} it
 */
function reportOf(it) {
  it.report ??= it.session.report();
  return it.report;
}

/** An error as data that crosses to the page: its code and details kept. @param {unknown} error */
function plain(error) {
  const e = /** @type {any} */ (error);
  return { name: e?.name ?? 'Error', code: e?.code, message: e?.message ?? String(error), details: e?.details ?? null, cause: e?.cause?.name === 'AbortError' ? 'AbortError' : undefined };
}
