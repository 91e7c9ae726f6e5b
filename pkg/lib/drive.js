// The runner loop: ask the session what to send, send it with bounded concurrency, hand the
// answers back, repeat until the session has nothing left to ask. Protocol decisions stay in the
// session; this file only moves bytes. Two ways to end early: `signal` aborts everything at once
// (requests in flight too), `stop` stops sending and lets what is in flight finish and be handled.
import { CronaSyncError, adoptError } from './errors.js';
import { throwIfAborted } from './http.js';

/**
 * @typedef {import('../index.js').HttpRequest} HttpRequest
 * @typedef {import('../index.js').HttpResponse} HttpResponse
 * @typedef {import('../index.js').DriveSession} DriveSession
 * @typedef {import('../index.js').DriveTransport} DriveTransport
 * @typedef {import('../index.js').DriveOptions} DriveOptions
 * @typedef {import('../index.js').DriveProgress} DriveProgress
 */

/**
 * @param {DriveSession} session
 * @param {DriveTransport} transport
 * @param {DriveOptions} [options]
 * @returns {Promise<void>}
 */
export async function drive(session, transport, options = {}) {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new CronaSyncError('invalid_argument', `concurrency must be a whole number from 1 to 64; got ${concurrency}`);
  }
  const outer = options.signal;
  throwIfAborted(outer);
  const stop = options.stop;
  if (stop && typeof session.stop !== 'function') {
    throw new CronaSyncError('invalid_argument', 'stop needs a session that can stop (SyncSession.stop()).');
  }
  let stopped = false;
  // Our own controller, so a fatal error (wrong credentials) also cancels the requests in flight.
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;

  /** @type {HttpRequest[]} */
  const queue = [];
  /** @type {HttpResponse[]} */
  const arrived = [];
  let inflight = 0;
  /** @type {unknown} */
  let fatal = null;
  /** @type {(() => void) | null} */
  let wake = null;
  const progress = {
    done: 0,
    failed: 0,
    retries: 0,
    rateLimited: 0,
    notSent: 0,
    huma: { done: 0, failed: 0 },
    crona: { done: 0, failed: 0 },
  };
  const onAbort = () => wake?.();
  outer?.addEventListener('abort', onAbort);
  stop?.addEventListener('abort', onAbort);

  /** @param {HttpRequest} request */
  function start(request) {
    const target = transport[request.system];
    if (!target) {
      fatal ??= new CronaSyncError('invalid_argument', `No transport for system ${JSON.stringify(request.system)}.`);
      return;
    }
    inflight++;
    Promise.resolve()
      .then(() => target.send(request, { signal }))
      .then((response) => {
          if (!response || typeof response.status !== 'number' || response.id !== request.id) {
            throw new CronaSyncError('invalid_response', `The ${request.system} transport answered ${request.method} ${request.path} with something that isn't a response for it.`);
          }
          const ok = response.status >= 200 && response.status < 300;
          progress.done++;
          progress.retries += Math.max(0, (response.attempts ?? 1) - 1);
          progress.rateLimited += response.rateLimited ?? 0;
          progress[request.system].done++;
          if (!ok) {
            progress.failed++;
            progress[request.system].failed++;
          }
          arrived.push(response);
        })
      .catch((error) => {
        fatal ??= error;
      })
      .finally(() => {
        inflight--;
        wake?.();
      });
  }

  function report() {
    options.onProgress?.({
      phase: session.phase ?? null,
      ...progress,
      huma: { ...progress.huma },
      crona: { ...progress.crona },
      inflight,
      queued: queue.length,
    });
  }

  try {
    for (;;) {
      if (stop?.aborted && !stopped) {
        stopped = true;
        call(() => /** @type {NonNullable<DriveSession['stop']>} */ (session.stop).call(session));
        // Polled but never started: the session hears they never left (its report says "not run").
        const unsent = queue.splice(0);
        progress.notSent += unsent.length;
        arrived.push(...unsent.map(notSent));
      }
      queue.push(...call(() => session.poll()));
      while (inflight < concurrency && queue.length > 0 && !fatal) start(/** @type {HttpRequest} */ (queue.shift()));
      report();
      if (arrived.length === 0 && !fatal && !outer?.aborted && (stopped || !stop?.aborted)) {
        if (inflight === 0) break;
        await new Promise((resolve) => {
          wake = () => resolve(undefined);
        });
        wake = null;
      }
      throwIfAborted(outer);
      if (fatal) throw adoptError(fatal);
      const batch = arrived.splice(0);
      if (batch.length > 0) call(() => session.handle(batch));
    }
    report();
  } catch (error) {
    controller.abort();
    throw adoptError(error);
  } finally {
    outer?.removeEventListener('abort', onAbort);
    stop?.removeEventListener('abort', onAbort);
  }
}

/**
 * The answer for a request drive() never sent.
 * @param {HttpRequest} request
 * @returns {HttpResponse}
 */
function notSent(request) {
  return {
    id: request.id,
    status: 0,
    body: '',
    error: { code: 'not_sent', message: `${request.system} ${request.method} ${request.path}: not sent, the run was stopped first` },
  };
}

/**
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
function call(fn) {
  try {
    return fn();
  } catch (error) {
    throw adoptError(error);
  }
}
