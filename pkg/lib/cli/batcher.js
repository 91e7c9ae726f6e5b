// Coalesces webhook events into pushes: a burst for the same people becomes one push after a
// quiet moment (`debounceMs`, but never later than `maxWaitMs` after the first event), and one
// push runs at a time. An event is finished only when every person it names was pushed after it
// arrived: an event that comes in during a push waits for the next one.
//
// A push that fails for everyone (the network, an API down, revoked credentials, a manual sync
// holding the lock) keeps its people waiting and tries again after a growing pause. A failed batch
// of several people is retried one person at a time, so one person Huma won't serve can't hold up
// the rest; what can never succeed by retrying (one person Huma won't serve, a burst the
// mass-change guard stops) is held by `run` for an administrator, and finishes here.

/**
 * @typedef {object} BatchResult
 * @property {'done' | 'retry' | 'held'} status  held: `run` stored the events for an administrator
 */

export class Batcher {
  /**
   * @param {object} o
   * @param {(ids: string[], events: number[]) => Promise<BatchResult>} o.run  pushes these people
   *   (`events`: the deliveries this push answers)
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
    /** After a failed batch, people are pushed one at a time until a push succeeds. */
    this.oneByOne = false;
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
    const ids = [...this.waiting.keys()].slice(0, this.oneByOne ? 1 : this.maxBatch);
    // The events these people have now: only these are answered by this push.
    const taken = new Map(ids.map((id) => [id, new Set(this.waiting.get(id))]));
    /** @type {BatchResult} */
    let result;
    const events = [...new Set([...taken.values()].flatMap((seqs) => [...seqs]))].sort((a, b) => a - b);
    try {
      result = await this.run(ids, events);
    } catch {
      result = { status: 'retry' };
    }
    this.running = false;
    if (this.stopped) return;
    if (result.status === 'retry') {
      if (ids.length > 1 && !this.oneByOne) {
        this.oneByOne = true; // find who fails, without holding up the others
        this.#schedule(0);
        return;
      }
      this.retryMs = Math.min(this.maxRetryMs, Math.max(1000, this.retryMs * 2));
      // One person failing alone goes to the back of the line.
      if (ids.length === 1 && this.waiting.size > 1) this.#requeue(ids[0]);
      this.#schedule(this.retryMs);
      return;
    }
    this.retryMs = 0;
    if (this.oneByOne && !this.waiting.size) this.oneByOne = false;
    /** @type {number[]} */
    const finished = [];
    for (const [id, seqs] of taken) {
      const waiting = this.waiting.get(id);
      for (const seq of seqs) {
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
    this.finished(finished.sort((a, b) => a - b));
    this.firstAt = this.waiting.size ? Date.now() : 0;
    // Whatever arrived during the push goes next, after the usual quiet moment.
    if (this.waiting.size) this.#schedule(this.oneByOne ? 0 : this.debounceMs);
  }

  /** @param {string} id */
  #requeue(id) {
    const seqs = this.waiting.get(id);
    if (!seqs) return;
    this.waiting.delete(id);
    this.waiting.set(id, seqs);
  }

  /** Stops scheduling; resolves when a running push has finished. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current.catch(() => {});
  }
}
