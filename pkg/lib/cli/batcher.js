// Coalesces webhook events into pushes: a burst for the same people becomes one push after a
// quiet moment (`debounceMs`, but never later than `maxWaitMs` after the first event), and one
// push runs at a time. An event is finished only when every person it names was pushed (or held
// for an administrator) after it arrived: an event that comes in during a push waits for the next.
//
// A push that fails for a reason that passes with time (the network, an API down, a manual sync
// holding the lock) keeps its people waiting and tries again, as the same batch, after a growing
// pause. A batch is never split to get through: one person at a time would slip a burst past the
// mass-change guard. `run` itself holds a person Huma won't serve and pushes the rest; it names
// whom it settled so their events finish.

/**
 * @typedef {object} BatchResult
 * @property {'done' | 'retry' | 'held'} status  held: `run` stored the events for an administrator
 * @property {string[]} [settled]  with retry: people `run` already held; the rest are tried again
 */

export class Batcher {
  /**
   * @param {object} o
   * @param {(ids: string[], events: Map<string, number[]>) => Promise<BatchResult>} o.run  pushes
   *   these people (`events`: each person's deliveries this push answers)
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
    /** @type {Promise<unknown>} the flush running now, if any */
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
    if (!this.retryMs && !this.running) this.#schedule(Math.min(this.debounceMs, this.firstAt + this.maxWaitMs - Date.now()));
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
      this.current = this.#flush();
    }, Math.max(0, ms));
  }

  async #flush() {
    if (this.running || this.stopped || !this.waiting.size) return;
    this.running = true;
    const ids = [...this.waiting.keys()].slice(0, this.maxBatch);
    // The events these people have now: only these are answered by this push.
    const taken = new Map(ids.map((id) => [id, new Set(this.waiting.get(id))]));
    /** @type {BatchResult} */
    let result;
    try {
      result = await this.run(ids, new Map([...taken].map(([id, seqs]) => [id, [...seqs].sort((a, b) => a - b)])));
    } catch {
      result = { status: 'retry' };
    }
    this.running = false;
    if (this.stopped) return;
    const settled = result.status === 'retry' ? (result.settled ?? []) : ids;
    this.#finish(settled, taken);
    if (result.status === 'retry') {
      this.retryMs = Math.min(this.maxRetryMs, Math.max(1000, this.retryMs * 2));
      this.#schedule(this.retryMs);
      return;
    }
    this.retryMs = 0;
    this.firstAt = this.waiting.size ? Date.now() : 0;
    // Whatever arrived during the push goes next, after the usual quiet moment.
    if (this.waiting.size) this.#schedule(this.debounceMs);
  }

  /**
   * Finishes these people's part of the events the push took; an event whose people are all
   * finished is reported to `finished`.
   * @param {string[]} ids @param {Map<string, Set<number>>} taken
   */
  #finish(ids, taken) {
    /** @type {number[]} */
    const finished = [];
    for (const id of ids) {
      const waiting = this.waiting.get(id);
      for (const seq of taken.get(id) ?? []) {
        waiting?.delete(seq);
        const left = (this.open.get(seq) ?? 1) - 1;
        if (left > 0) this.open.set(seq, left);
        else {
          this.open.delete(seq);
          finished.push(seq);
        }
      }
      if (!waiting?.size) this.waiting.delete(id);
    }
    if (finished.length) this.finished(finished.sort((a, b) => a - b));
  }

  /** Stops scheduling; resolves when a running push has finished. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current.catch(() => {});
  }
}
