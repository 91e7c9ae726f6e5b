// One gate per system that every attempt passes before it goes out. A 429 makes the whole system
// wait the time the server asked for, and halves how many attempts may be in flight; answers without
// a 429 let it grow back by one per round (AIMD, as TCP does). So a steady rate limit is met with a
// window that fits it, instead of each request hammering on its own or everything going one by one.
import { sleep } from './retry.js';

/** Above this the gate no longer limits (drive() never runs more than 64 requests at once). */
const UNLIMITED_FROM = 64;

/**
 * @typedef {object} GateTicket  one attempt's pass through the gate
 * @property {number} epoch      the window it was sent under (answers to attempts sent before a halving
 *   neither halve it again nor grow it)
 */

/**
 * @typedef {object} GateOptions
 * @property {() => number} [clock]  monotonic ms (default performance.now)
 * @property {(ms: number, signal?: AbortSignal) => Promise<void>} [sleep]  how a pause is waited out
 */

export class RateGate {
  /** @param {GateOptions} [options] */
  constructor({ clock = () => performance.now(), sleep: wait = sleep } = {}) {
    this.clock = clock;
    this.wait = wait;
    /** How many attempts may be in flight at once: unlimited until the first 429, then the window. */
    this.limit = Infinity;
    this.inflight = 0;
    /** Unthrottled answers since the limit last changed. */
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
      for (let left = this.pausedUntil - this.clock(); left > 0; left = this.pausedUntil - this.clock()) {
        await this.wait(Math.ceil(left), signal);
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
      this.pausedUntil = Math.max(this.pausedUntil, this.clock() + outcome.pauseMs);
    }
    if (outcome.limited) {
      // Attempts sent before the last halving were sent at the old pace: their 429s say nothing new.
      if (ticket.epoch === this.epoch) {
        this.epoch++;
        // Half of what was really in flight (this attempt included), not of a window never filled.
        this.limit = Math.max(1, Math.floor(Math.min(this.limit, this.inflight) / 2));
        this.successes = 0;
      }
    } else if (answered && outcome.pauseMs === null && ticket.epoch === this.epoch && this.limit !== Infinity) {
      // Grow back by one after a round of `limit` unthrottled answers.
      if (++this.successes >= this.limit) {
        this.limit = this.limit + 1 >= UNLIMITED_FROM ? Infinity : this.limit + 1;
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
