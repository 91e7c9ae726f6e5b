// The page's handle on the session in its worker (session-worker.js): the same steps as a
// SyncSession, each a promise. Requests carry an id; an error comes back with its code and
// details as a CronaSyncError, so the steps branch on `code` as before. The first session starts
// the worker (and the wasm in it); one worker serves all the page's sessions.
import { CronaSyncError } from '../../pkg/web.js';

/** @typedef {import('../../pkg/index.js').SessionConfig} SessionConfig */
/** @typedef {import('../../pkg/index.js').DriveProgress & { fetch: import('../../pkg/index.js').FetchProgress }} Progress  drive()'s, with the core's fetch progress */

const WORKER_URL = new URL('./session-worker.js', import.meta.url).href;

/** @type {Worker | null} */
let worker = null;
let next = 1;
let sessions = 0;
/** @type {Map<number, { resolve: (v: any) => void, reject: (e: unknown) => void, progress?: (p: Progress) => void }>} */
const waiting = new Map();

/** The page's trusted-types policy allows this one script URL, for this one worker. */
function scriptUrl() {
  const tt = /** @type {any} */ (globalThis).trustedTypes;
  if (!tt) return WORKER_URL;
  const policy = tt.createPolicy('session-worker', { createScriptURL: (/** @type {string} */ u) => {
    if (u !== WORKER_URL) throw new TypeError(`Not the session's worker: ${u}`);
    return u;
  } });
  return policy.createScriptURL(WORKER_URL);
}

function theWorker() {
  if (worker) return worker;
  const w = new Worker(scriptUrl(), { type: 'module', name: 'crona-sync session' });
  w.onmessage = (event) => {
    const m = event.data;
    const wait = waiting.get(m.id);
    if (!wait) return;
    if ('progress' in m) return wait.progress?.(m.progress);
    waiting.delete(m.id);
    if ('error' in m) wait.reject(revive(m.error));
    else wait.resolve(m.value);
  };
  w.onerror = (event) => {
    // The worker itself failed (its script didn't load): every step waiting fails with it.
    event.preventDefault();
    const error = new CronaSyncError('internal_error', `The crona-sync core couldn't start in this browser: ${event.message || 'its worker failed'}. Reload to try again.`);
    for (const wait of waiting.values()) wait.reject(error);
    waiting.clear();
    worker = null;
  };
  return (worker = w);
}

/** @param {{ name: string, code?: string, message: string, details: unknown, cause?: string }} e */
function revive(e) {
  if (e.code) {
    const cause = e.cause === 'AbortError' ? new DOMException('The operation was aborted.', 'AbortError') : undefined;
    return new CronaSyncError(e.code, e.message, e.details, cause ? { cause } : undefined);
  }
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/**
 * @param {Record<string, unknown>} message @param {(p: Progress) => void} [progress]
 * @returns {{ id: number, done: Promise<any> }}
 */
function ask(message, progress) {
  const id = next++;
  const done = new Promise((resolve, reject) => waiting.set(id, { resolve, reject, progress }));
  theWorker().postMessage({ ...message, id });
  return { id, done };
}

/** One SyncSession, in the worker; its transports are the run's relay socket. */
export class RemoteSession {
  /** @type {string | null} the phase as of the last progress (drive()'s) */
  phase = null;
  #freed = false;
  /** @param {number} id */
  constructor(id) {
    this.id = id;
  }

  /**
   * Starts the worker's session for a run holding the connection's lease.
   * @param {SessionConfig} options @param {{ connectionId: number, lease: string }} relay
   */
  static async start(options, relay) {
    const session = ++sessions;
    await ask({ op: 'start', session, options, relay }).done;
    return new RemoteSession(session);
  }

  /**
   * drive() in the worker: reads (after start) or writes (after apply) until the session has
   * nothing left to ask. `signal` cancels at once; `stop` stops sending and waits for the writes
   * in flight, as drive()'s own options do.
   * @param {{ signal?: AbortSignal, stop?: AbortSignal, onProgress?: (p: Progress) => void }} [o]
   * @returns {Promise<void>}
   */
  async drive(o = {}) {
    o.signal?.throwIfAborted();
    const { id, done } = ask({ op: 'drive', session: this.id, stoppable: Boolean(o.stop) }, (p) => {
      this.phase = p.phase;
      o.onProgress?.(p);
    });
    const abort = () => worker?.postMessage({ op: 'abort', of: id });
    const stop = () => worker?.postMessage({ op: 'stop', of: id });
    o.signal?.addEventListener('abort', abort, { once: true });
    o.stop?.addEventListener('abort', stop, { once: true });
    if (o.stop?.aborted) stop();
    try {
      await done;
    } finally {
      o.signal?.removeEventListener('abort', abort);
      o.stop?.removeEventListener('abort', stop);
    }
  }

  /** @returns {Promise<import('../../pkg/index.js').Preview>} */
  preview() {
    return this.#call('preview');
  }

  /** @param {import('../../pkg/index.js').Decisions} [decisions] @returns {Promise<import('../../pkg/index.js').Plan>} */
  plan(decisions = {}) {
    return this.#call('plan', decisions);
  }

  /** @param {string} hash @param {{ allowMassChange?: boolean }} [options] @returns {Promise<void>} */
  apply(hash, options = {}) {
    return this.#call('apply', hash, options);
  }

  /** @returns {Promise<import('../../pkg/index.js').Report>} */
  report() {
    return this.#call('report');
  }

  /**
   * The body of the run's finish with this session's report, errors and next state, as JSON made
   * in the worker (see service-run.js).
   * @param {Record<string, unknown> & { connection: unknown }} head  the finish's other fields; `connection` goes into the next state
   * @returns {Promise<Blob>}
   */
  finishBody(head) {
    return ask({ op: 'finish-body', session: this.id, head }).done;
  }

  /** @returns {Promise<import('../../pkg/index.js').FetchProgress>} */
  progress() {
    return this.#call('progress');
  }

  /** Lets the session go (once); the worker stays for the next. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    ask({ op: 'free', session: this.id }).done.catch(() => {});
  }

  /** @param {string} method @param {unknown[]} args */
  #call(method, ...args) {
    return ask({ op: 'call', session: this.id, method, args }).done;
  }
}
