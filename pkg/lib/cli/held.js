// Webhook events an unattended push couldn't carry out, waiting for an administrator (DOMAIN.md
// §3.5: an acknowledged event is pushed or held, never dropped): a burst the mass-change guard
// stopped, or a person Huma won't serve. One JSON object a line, written under the connection's
// lock: serve appends, `push --approve-held` runs and removes, a completed sync covers.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeAtomic } from './files.js';

/**
 * @typedef {object} HeldEntry
 * @property {string} heldAt      when it was held
 * @property {string[]} ids       the Huma users waiting
 * @property {{ seq: number, at: string, topic: string }[]} events  the deliveries they came in
 * @property {string} code        why: the push's error code (mass_change_refused, …)
 * @property {string} reason      why, in words
 * @property {boolean} [autoCreate] serve was creating new Huma users in Crona: the approval does too
 */

/** The held file beside the state file. @param {Record<string, any>} flags @param {string} statePath */
export function heldFile(flags, statePath) {
  return flags.held ?? statePath.replace(/\.state\.json$/, '') + '.held.jsonl';
}

/**
 * Every held entry, oldest first. A line cut short by a crash was never confirmed as held: its
 * events are still in serve's queue.
 * @param {string} path
 * @returns {HeldEntry[]}
 */
export function readHeld(path) {
  if (!existsSync(path)) return [];
  /** @type {HeldEntry[]} */
  const out = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line);
      if (Array.isArray(entry?.ids) && Array.isArray(entry.events)) out.push(entry);
    } catch {
      // empty, or cut short
    }
  }
  return out;
}

/** Appends one entry, on disk before it returns. @param {string} path @param {HeldEntry} entry */
export function appendHeld(path, entry) {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, JSON.stringify(entry) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file with these entries. @param {string} path @param {HeldEntry[]} entries */
export function writeHeld(path, entries) {
  writeAtomic(path, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
}

/** How many events and people wait. @param {HeldEntry[]} entries */
export function heldCounts(entries) {
  return {
    events: new Set(entries.flatMap((e) => e.events.map((x) => x.seq))).size,
    people: new Set(entries.flatMap((e) => e.ids)).size,
  };
}

/**
 * Removes what a sync whose fetch started at `startedAt` has covered: the people of entries
 * whose every event arrived before then (Huma's change was in what the sync read), except those
 * whose writes failed in it (`failed`, Huma ids). Returns how many entries went.
 * @param {string} path @param {string} startedAt ISO time @param {Set<string>} failed
 */
export function coverHeld(path, startedAt, failed) {
  const entries = readHeld(path);
  const after = entries.map((e) => (e.events.some((x) => x.at >= startedAt) ? e : { ...e, ids: e.ids.filter((id) => failed.has(id)) }));
  const left = after.filter((e) => e.ids.length);
  if (after.some((e, i) => e !== entries[i])) writeHeld(path, left);
  return entries.length - left.length;
}
