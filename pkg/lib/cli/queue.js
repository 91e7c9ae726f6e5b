// The webhook queue: an event is on disk (appended and fsync'ed) before Huma gets its 2xx, and
// marked done only after its push ran, so an acknowledged event survives a crash and is replayed
// once on restart. One JSON object per line: `{seq, at, topic, ids}` for an event, `{done: [seq…]}`
// when events finished. A line cut short by a crash is ignored.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeAtomic } from './files.js';

/** @typedef {{ seq: number, at: string, topic: string, ids: string[] }} QueuedEvent */

export class Queue {
  /** @param {string} path */
  constructor(path) {
    this.path = path;
    /** @type {Map<number, QueuedEvent>} */
    this.pending = new Map();
    this.seq = 0;
    if (existsSync(path)) this.#load(readFileSync(path, 'utf8'));
    // Start each run from a file that holds only what is still to do.
    this.#rewrite();
  }

  /** @param {string} text */
  #load(text) {
    for (const line of text.split('\n')) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // empty, or cut short by a crash before it was acknowledged
      }
      if (Array.isArray(entry?.done)) {
        for (const seq of entry.done) this.pending.delete(seq);
      } else if (Number.isInteger(entry?.seq) && Array.isArray(entry.ids)) {
        this.pending.set(entry.seq, entry);
      }
      if (Number.isInteger(entry?.seq)) this.seq = Math.max(this.seq, entry.seq);
    }
  }

  #rewrite() {
    // The last number goes first: numbers never repeat, so a held event keeps its own.
    const lines = JSON.stringify({ done: [], seq: this.seq }) + '\n' + [...this.pending.values()].map((e) => JSON.stringify(e) + '\n').join('');
    writeAtomic(this.path, lines, { mode: 0o600 });
  }

  /** @param {object} entry */
  #append(entry) {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Stores an event durably; returns it with its number.
   * @param {string} topic @param {string[]} ids
   * @returns {QueuedEvent}
   */
  add(topic, ids) {
    const event = { seq: this.seq + 1, at: new Date().toISOString(), topic, ids };
    this.#append(event);
    this.seq = event.seq;
    this.pending.set(event.seq, event);
    return event;
  }

  /** Marks events finished; an empty queue is compacted. @param {number[]} seqs */
  done(seqs) {
    if (!seqs.length) return;
    this.#append({ done: seqs });
    for (const seq of seqs) this.pending.delete(seq);
    if (this.pending.size === 0) this.#rewrite();
  }

  /** Events not yet done, oldest first. */
  list() {
    return [...this.pending.values()].sort((a, b) => a.seq - b.seq);
  }
}
