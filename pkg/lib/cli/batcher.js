// Coalesces webhook events into pushes: a burst for the same people becomes one push after a
// quiet moment (`debounceMs`, but never later than `maxWaitMs` after the first event), and one
// push runs at a time. An event is finished only when every person it names was pushed; a push
// that can be retried (network, auth, a manual sync holding the lock) keeps its people waiting
// and tries again with a growing pause.

/**
 * @typedef {object} BatchResult
 * @property {'done' | 'retry' | 'dropped'} status  dropped: can't succeed by retrying (logged)
 */

export class Batcher {
  /**
   * @param {object} o
   * @param {(ids: string[]) => Promise<BatchResult>} o.run  pushes these people
   * @param {(seqs: number[]) => void} o.finished  events whose people were all handled
   * @param {number} [o.debounceMs]
   * @param {number} [o.maxWaitMs]
   * @param {number} [o.maxBatch]  people per push
   * @param {number} [o.maxRetryMs]
   */
  constructor({ run, finished, debounceMs = 2000, maxWaitMs = 10 * debounceMs, maxBatch = 500, maxRetryMs = 5 * 60_000 }) {
    this.run = run;
    this.finished = finished;
    this.debounceMs = debounceMs;
    this.maxWaitMs = maxWaitMs;
    this.maxBatch = maxBatch;
    this.maxRetryMs = maxRetryMs;
    /** @type {Map<string, Set<number>>} person → the events that name them */
    this.waiting = new Map();
    /** @type {Map<number, number>} event → people still to push */
    this.open = new Map();
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    this.firstAt = 0;
    this.running = false;
    this.retryMs = 0;
    this.stopped = false;
    /** @type {Promise<unknown>} the push running now, if any */
    this.current = Promise.resolve();
  }

  /** @param {number} seq @param {string[]} ids */
  add(seq, ids) {
    if (!ids.length) {
      this.finished([seq]);
      return;
    }
    this.open.set(seq, ids.length);
    for (const id of ids) {
      const seqs = this.waiting.get(id) ?? new Set();
      seqs.add(seq);
      this.waiting.set(id, seqs);
    }
    if (!this.firstAt) this.firstAt = Date.now();
    if (!this.retryMs) this.#schedule(Math.min(this.debounceMs, this.firstAt + this.maxWaitMs - Date.now()));
  }

  /** People waiting for a push. */
  get size() {
    return this.waiting.size;
  }

  /** @param {number} ms */
  #schedule(ms) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.#flush();
    }, Math.max(0, ms));
  }

  async #flush() {
    if (this.running || this.stopped || !this.waiting.size) return;
    this.running = true;
    const ids = [...this.waiting.keys()].slice(0, this.maxBatch);
    /** @type {BatchResult} */
    let result;
    try {
      this.current = this.run(ids);
      result = await /** @type {Promise<BatchResult>} */ (this.current);
    } catch {
      result = { status: 'retry' };
    }
    this.running = false;
    if (result.status === 'retry') {
      this.retryMs = Math.min(this.maxRetryMs, Math.max(1000, this.retryMs * 2));
      this.#schedule(this.retryMs);
      return;
    }
    this.retryMs = 0;
    const finished = [];
    for (const id of ids) {
      for (const seq of this.waiting.get(id) ?? []) {
        const left = (this.open.get(seq) ?? 1) - 1;
        if (left > 0) this.open.set(seq, left);
        else {
          this.open.delete(seq);
          finished.push(seq);
        }
      }
      this.waiting.delete(id);
    }
    this.finished(finished.sort((a, b) => a - b));
    this.firstAt = this.waiting.size ? Date.now() : 0;
    // Whatever arrived during the push goes next, after the usual quiet moment.
    if (this.waiting.size) this.#schedule(this.debounceMs);
  }

  /** Stops scheduling; resolves when a running push has finished. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current.catch(() => {});
  }
}
