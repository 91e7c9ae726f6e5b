// One gate per system that every attempt passes before it goes out. While the API rate limits us
// (429) the whole system waits for the time the server asked for, and sends one request at a time
// until answers come back unthrottled again, instead of each request hammering on its own.
import { sleep } from './retry.js';

/** Above this the gate no longer limits (drive() never runs more than 64 requests at once). */
const UNLIMITED_FROM = 64;

/**
 * @typedef {object} GateTicket  one attempt's pass through the gate
 * @property {number} epoch      the burst it was sent in (answers from before a 429 don't count)
 */

export class RateGate {
  constructor() {
    /** How many attempts may be in flight at once: unlimited, or 1, 2, 4… while a burst lasts. */
    this.limit = Infinity;
    this.inflight = 0;
    /** Answers without a rate limit since the limit last changed. */
    this.successes = 0;
    /** Bumped by each 429 from an attempt sent after the previous one. */
    this.epoch = 0;
    /** Clock time before which no attempt goes out. */
    this.pausedUntil = 0;
    /** @type {{ grant: () => void }[]} */
    this.waiting = [];
  }

  /**
   * Waits for a slot (first come, first served) and then for any pause to end.
   * @param {AbortSignal} [signal]
   * @returns {Promise<GateTicket>}
   */
  async enter(signal) {
    if (this.inflight < this.limit && this.waiting.length === 0) {
      this.inflight++;
    } else {
      await new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(undefined);
          },
        };
        const onAbort = () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal?.reason);
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(waiter);
      });
    }
    try {
      // The pause may be extended while we sleep: look again after each wait.
      for (let left = this.pausedUntil - performance.now(); left > 0; left = this.pausedUntil - performance.now()) {
        await sleep(Math.ceil(left), signal);
      }
    } catch (error) {
      this.release();
      throw error;
    }
    return { epoch: this.epoch };
  }

  /**
   * Records how an attempt was answered and frees its slot.
   * @param {GateTicket} ticket
   * @param {{ limited: boolean, pauseMs: number | null }} outcome  limited: a 429; pauseMs: how long
   *   the whole system should wait (the Retry-After of a 429 or 503 plus jitter), null for no pause
   * @param {boolean} [answered]  false when no HTTP answer arrived (neither success nor limit)
   */
  leave(ticket, outcome, answered = true) {
    if (outcome.pauseMs !== null && outcome.pauseMs > 0) {
      this.pausedUntil = Math.max(this.pausedUntil, performance.now() + outcome.pauseMs);
    }
    if (outcome.limited) {
      // Attempts sent before the last 429 were sent at the old pace: one limit drop per burst step.
      if (ticket.epoch === this.epoch) {
        this.epoch++;
        this.limit = 1;
        this.successes = 0;
      }
    } else if (answered && ticket.epoch === this.epoch && this.limit !== Infinity) {
      // Recover by doubling: after `limit` answers in a row without a 429, allow twice as many.
      if (++this.successes >= this.limit) {
        this.limit = this.limit * 2 >= UNLIMITED_FROM ? Infinity : this.limit * 2;
        this.successes = 0;
      }
    }
    this.release();
  }

  /** @private */
  release() {
    this.inflight--;
    while (this.inflight < this.limit && this.waiting.length > 0) {
      this.inflight++;
      /** @type {{ grant: () => void }} */ (this.waiting.shift()).grant();
    }
  }
}
