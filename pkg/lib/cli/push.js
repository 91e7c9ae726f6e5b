// `crona-sync push`: send what changed in Huma for some people to Crona now, by the core's push
// rules (Huma → Crona only, never clearing, never AnstNr, Crona's changes left for a sync). The
// webhook server runs the same function for each batch of events.
import { drive } from '../../index.js';
import { CronaSyncError } from '../errors.js';
import { fetchPreview, saveResults, stateFile } from './context.js';
import { lock, readJson } from './files.js';
import { colours, reportText } from './render.js';

/** @typedef {import('./context.js').Flags} Flags */

/**
 * One push for these Huma user ids, under the connection's lock. Writes the state and the error
 * log; returns the report and the exit code. Throws (with a code) when nothing could be pushed.
 * @param {Flags} flags
 * @param {string[]} ids
 * @param {{ quiet?: boolean }} [options]
 */
export async function pushPeople(flags, ids, options = {}) {
  const path = stateFile(flags);
  const release = lock(`${path}.lock`);
  try {
    const state = /** @type {any} */ (readJson(path, null, 'state file'));
    if (!state?.activatedAt) {
      throw new CronaSyncError('not_active', `The connection isn't active yet: run a first 'crona-sync sync' (Synchronize users) before pushing. (State file: ${path})`);
    }
    const extra = { mode: /** @type {const} */ ('push'), humaUserIds: ids, options: { autoCreate: Boolean(flags['auto-create']) } };
    const { session, huma, crona, identity } = await fetchPreview(flags, state, extra, options.quiet ?? Boolean(flags.json));
    const plan = session.plan({});
    // A push never approves a mass change by itself: that is an administrator's decision.
    session.apply(plan.hash, { allowMassChange: false });
    await drive(session, { huma, crona }, { concurrency: Number(flags.concurrency ?? 6) });
    const report = session.report();
    return { report, plan, exit: saveResults(flags, path, report, identity) };
  } finally {
    release();
  }
}

/** @param {Flags} flags */
export async function push(flags) {
  const ids = /** @type {string[]} */ (flags.user ?? []);
  if (!ids.length) throw new CronaSyncError('usage', 'Name at least one Huma user: --user ID (repeatable).');
  const { report, exit } = await pushPeople(flags, ids);
  process.stdout.write(flags.json ? JSON.stringify(report) + '\n' : reportText(report, colours(process.stdout)));
  return exit;
}
