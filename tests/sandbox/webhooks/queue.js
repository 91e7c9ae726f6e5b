// The webhook sender: events are queued in order and delivered one at a time to the registered receiver, with
// retries; every delivery is recorded for GET /_sandbox/webhooks and /_sandbox/inspect.

import { setTimeout as sleep } from 'node:timers/promises';
import { parseWebhookConfig, maskConfig } from './config.js';
import { postOnce } from './post.js';

/** @typedef {import('./config.js').WebhookConfig} WebhookConfig */
/** @typedef {import('../types.js').WebhookEvent} WebhookEvent */

/**
 * One delivery, updated while it is under way.
 * @typedef {Object} DeliveryRecord
 * @property {number} seq           from the same counter as the request log
 * @property {import('../types.js').WebhookTopic} topic
 * @property {string[]} ids         the users in the body
 * @property {number | null} status the last attempt's HTTP status; null = no answer (yet)
 * @property {number} attempts
 * @property {string} [error]       the last attempt's network error, timeout, or "cancelled"
 */

/** The wait between a failed attempt and the next. */
export const RETRY_BACKOFF_MS = 200;

export class Webhooks {
  /** @param {() => number} nextSeq @param {((line: string) => void) | null} log */
  constructor(nextSeq, log) {
    this.nextSeq = nextSeq;
    this.log = log;
    /** @type {WebhookConfig | null} */
    this.config = null;
    /** @type {DeliveryRecord[]} */
    this.deliveries = [];
    /** queued or in flight */
    this.pending = 0;
    /** the end of the delivery chain: each delivery starts when the one before it ended */
    this.tail = Promise.resolve();
    this.aborter = new AbortController();
    this.closed = false;
  }

  /** Registers the receiver, replacing any earlier one (deliveries already queued keep theirs). @param {unknown} input */
  configure(input) {
    this.config = parseWebhookConfig(input);
    return this.view();
  }

  /** Removes the receiver and cancels what is queued or in flight. */
  remove() {
    this.config = null;
    this.aborter.abort();
    this.aborter = new AbortController();
    return this.view();
  }

  /** For POST /_sandbox/reset: no receiver, nothing pending, no records. */
  reset() {
    this.remove();
    this.deliveries = [];
  }

  /** Stops for good; idle() then resolves as soon as the cancelled deliveries have unwound. */
  close() {
    this.closed = true;
    this.remove();
  }

  /**
   * Queues an event for the registered receiver; nothing happens without one.
   * @param {WebhookEvent} event @returns {DeliveryRecord | null}
   */
  emit(event) {
    const config = this.config;
    if (!config || this.closed) return null;
    /** @type {DeliveryRecord} */
    const record = { seq: this.nextSeq(), topic: event.topic, ids: event.users.map((u) => u.id), status: null, attempts: 0 };
    this.deliveries.push(record);
    const bytes = Buffer.from(JSON.stringify({ topic: event.topic, users: event.users }), 'utf8');
    const signal = this.aborter.signal;
    this.pending++;
    this.tail = this.tail
      .then(() => deliver(config, bytes, record, signal))
      .finally(() => {
        this.pending--;
        this.log?.(`${record.seq} webhook ${record.topic} (${record.ids.length} users) → ${record.status ?? 'no answer'}${record.error ? ` [${record.error}]` : ''} after ${record.attempts} attempts`);
      });
    return record;
  }

  /** Resolves once nothing is queued or in flight. */
  async idle() {
    let seen;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }

  /** @param {number} since @returns {DeliveryRecord[]} the deliveries after `since` */
  after(since) {
    return this.deliveries.filter((d) => d.seq > since);
  }

  /** What GET /_sandbox/webhooks shows. */
  view() {
    return { config: this.config && maskConfig(this.config), pending: this.pending, deliveries: this.deliveries };
  }
}

/**
 * Sends one delivery: waits delayMs, then tries up to 1 + retries times until a 2xx answer. Never rejects.
 * @param {WebhookConfig} config @param {Buffer} bytes @param {DeliveryRecord} record @param {AbortSignal} signal
 */
async function deliver(config, bytes, record, signal) {
  try {
    if (config.delayMs > 0) await sleep(config.delayMs, undefined, { signal });
    for (;;) {
      if (signal.aborted) throw new Error('cancelled');
      record.attempts++;
      const r = await postOnce(config, record.topic, bytes, signal);
      record.status = r.status;
      if (r.error) record.error = r.error;
      else delete record.error;
      if (!r.error && r.status !== null && r.status >= 200 && r.status < 300) return;
      if (record.attempts > config.retries) return;
      await sleep(RETRY_BACKOFF_MS, undefined, { signal });
    }
  } catch {
    // only an abort gets here (sleep rejects with AbortError)
    record.error = 'cancelled';
  }
}
