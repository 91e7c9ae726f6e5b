// The request log behind GET /_sandbox/inspect: every API call (requests) and every write among them (writes),
// so tests can assert exactly what a sync sent and what it got back.

/**
 * @typedef {Object} RequestEntry
 * @property {number} seq
 * @property {'huma' | 'crona'} system
 * @property {string} method
 * @property {string} path          without the /huma or /crona prefix
 * @property {Record<string, string | string[]>} query
 * @property {number | null} status  null when the connection was dropped
 * @property {string} [fault]       which fault rule(s) acted, joined by "+": "status:503", "drop", "latency:200", "throttle", "listing:short"
 */

/** @typedef {RequestEntry & { body: unknown }} WriteEntry */

export class RequestLog {
  constructor() {
    /** @type {RequestEntry[]} */
    this.requests = [];
    /** @type {WriteEntry[]} */
    this.writes = [];
    this.seq = 0;
  }

  /** @returns {number} the next sequence number (shared by requests and writes) */
  nextSeq() {
    return ++this.seq;
  }

  /**
   * @param {RequestEntry} entry
   * @param {unknown} body  the parsed body, for writes
   * @param {boolean} isWrite
   */
  add(entry, body, isWrite) {
    this.requests.push(entry);
    if (isWrite) this.writes.push({ ...entry, body });
  }

  /** @param {number} since @returns {{ requests: RequestEntry[], writes: WriteEntry[] }} the entries after `since` */
  after(since) {
    // entries are added when the response is sent, so under latency they are not in seq order: filter, then sort
    /** @template {{ seq: number }} T @param {T[]} list */
    const after = (list) => list.filter((e) => e.seq > since).sort((a, b) => a.seq - b.seq);
    return { requests: after(this.requests), writes: after(this.writes) };
  }
}
