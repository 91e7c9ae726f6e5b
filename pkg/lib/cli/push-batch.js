// What a webhook receiver does with one batch of people: push them, hold for an administrator
// whoever can't be pushed by trying again, and say whether the rest is done or waits for another
// try. Shared by the file-based receiver (serve.js) and the integration service; they differ
// only in where a push runs and where held events go.
import { CronaSyncError } from '../errors.js';

/** Failures that pass with time: the network, an API that is down or rate limited, a listing
 * that changed while it was read, revoked credentials (until someone renews them), a sync
 * holding the lock. Retried with a growing pause until they pass. */
const RETRY = new Set(['locked', 'huma_auth_failed', 'huma_unavailable', 'crona_activation_failed', 'crona_auth_failed', 'crona_unavailable', 'network_error', 'timeout', 'aborted']);

/**
 * What to do with a push that threw, by the core's word (`details.transient`,
 * `details.humaUserId`): try again later, hold the one person the failure names and push the
 * rest, or hold the whole batch for an administrator (a mass change is the batch's, never split).
 * @param {CronaSyncError} e @param {string[]} ids
 * @returns {'retry' | 'hold-person' | 'hold'}
 */
export function afterError(e, ids) {
  const details = /** @type {{ transient?: boolean, humaUserId?: string } | null} */ (e.details);
  if (RETRY.has(e.code) || details?.transient) return 'retry';
  if (details?.humaUserId && ids.includes(details.humaUserId)) return 'hold-person';
  return 'hold';
}

/** Why a push that threw is held, in words. @param {CronaSyncError} e @param {number} people */
function reason(e, people) {
  return e.code === 'mass_change_refused'
    ? `this push of ${people} people needs an administrator's approval as a mass change (${/** @type {{ why?: string } | null} */ (e.details)?.why ?? 'it changes many at once'})`
    : `the push can't succeed by trying again (${e.code}: ${e.message})`;
}

/**
 * @typedef {object} BatchSides
 * @property {(ids: string[]) => Promise<{ report: any, exit: number }>} push  one push, under the connection's lease
 * @property {(ids: string[], events: Map<string, number[]>, code: string, why: string) => boolean} hold
 *   stores people for an administrator; false when that can't be done now (tried again later)
 * @property {(line: Record<string, unknown> & { text: string }) => void} log
 * @property {(what: 'push' | 'error', facts: Record<string, unknown>) => void} [note]  for a health view
 */

/**
 * The batcher's `run` for these sides.
 * @param {BatchSides} sides
 * @returns {(ids: string[], events: Map<string, number[]>) => Promise<import('./batcher.js').BatchResult>}
 */
export function batchRunner({ push, hold, log, note = () => {} }) {
  return async (ids, events) => {
    let left = ids;
    /** @type {string[]} people held by this run */
    const settled = [];
    for (;;) {
      try {
        const { report, exit } = await push(left);
        const c = report.summary.counts;
        note('push', { at: new Date().toISOString(), people: left.length, ...c });
        if (exit) note('error', { at: new Date().toISOString(), code: report.errors[0]?.code ?? 'write_failed', message: report.errors[0]?.message ?? '' });
        // A write refused for good waits for an administrator; one that got no answer, a 429
        // or a 5xx is pushed again (a push reads Huma's current state: a repeat sends only
        // what is still missing), until it passes.
        /** @type {any[]} */
        const errors = report.errors;
        const refused = [...new Set(errors.filter((e) => !e.transient).map((e) => e.person?.humaId).filter(Boolean))];
        const again = errors.some((e) => e.transient);
        log({ event: 'pushed', people: left.length, counts: c, text: `pushed ${left.length} ${left.length === 1 ? 'person' : 'people'}: ${report.summary.text}${exit ? ' (failures are in the error log)' : ''}${again ? ' — will push again' : ''}` });
        if (refused.length) {
          const first = errors.find((e) => !e.transient);
          if (!hold(refused, events, first.code ?? 'write_failed', `${first.system === 'huma' ? 'Huma' : 'Crona'} refused the write and retrying won't help (${first.status} ${first.code ?? ''}: ${first.message})`)) return { status: 'retry', settled };
          settled.push(...refused);
        }
        return again ? { status: 'retry', settled } : { status: 'done' };
      } catch (error) {
        const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', String(error instanceof Error ? error.message : error));
        note('error', { at: new Date().toISOString(), code: e.code, message: e.message });
        const next = afterError(e, left);
        if (next === 'retry') {
          log({ event: 'retrying', code: e.code, message: e.message, text: `push of ${left.length} failed (${e.code}): ${e.message} — will retry` });
          return { status: 'retry', settled };
        }
        // One person Huma won't serve is held alone; the others are pushed as one batch still.
        const whom = next === 'hold-person' ? [/** @type {any} */ (e.details).humaUserId] : left;
        if (!hold(whom, events, e.code, reason(e, whom.length))) return { status: 'retry', settled };
        settled.push(...whom);
        left = left.filter((id) => !whom.includes(id));
        if (!left.length) return { status: 'held' };
      }
    }
  };
}
