// `crona-sync push`: send what changed in Huma for some people to Crona now, by the core's push
// rules (Huma → Crona only, never clearing, never AnstNr, Crona's changes left for a sync). The
// webhook server runs the same function for each batch of events; `push --approve-held` runs
// the events it held for an administrator.
import { drive } from '../../index.js';
import { CronaSyncError } from '../errors.js';
import { fetchPreview } from './context.js';
import { openHome } from './home.js';
import { heldCounts, heldFile, readHeld, writeHeld } from './held.js';
import { colours, reportText } from '../render.js';
import { visible, visibleJson } from '../text.js';

/** @typedef {import('./context.js').Flags} Flags */

/**
 * @typedef {object} PushOptions
 * @property {boolean} [quiet]            no progress bar
 * @property {boolean} [allowMassChange]  an administrator approved it (never for serve's own pushes)
 * @property {boolean} [autoCreate]       create unpaired Huma users in Crona (as serve was told to)
 * @property {import('./home.js').ServiceRun} [service]  a push the integration service runs itself
 */

/**
 * One push for these Huma user ids, under the connection's lock. Writes the state and the error
 * log; returns the report and the exit code. Throws (with a code) when nothing could be pushed.
 * @param {Flags} flags
 * @param {string[]} ids
 * @param {PushOptions} [options]
 */
export async function pushPeople(flags, ids, options = {}) {
  const home = openHome(flags, options.service);
  try {
    const release = home.lock('push');
    try {
      return await pushLocked(flags, home, ids, options);
    } catch (error) {
      home.fail(error);
      throw error;
    } finally {
      release();
    }
  } finally {
    home.close();
  }
}

/**
 * The push itself; the caller holds the lock.
 * @param {Flags} flags @param {import('./home.js').Home} home @param {string[]} ids @param {PushOptions} options
 */
async function pushLocked(flags, home, ids, options) {
  const state = /** @type {any} */ (home.readState());
  if (!state?.activatedAt) {
    throw new CronaSyncError('not_active', `The connection isn't active yet: run a first 'crona-sync sync' (Synchronize users) before pushing.${home.statePath ? ` (State file: ${home.statePath})` : ''}`);
  }
  const autoCreate = Boolean(flags['auto-create'] || options.autoCreate);
  const extra = { mode: /** @type {const} */ ('push'), humaUserIds: ids, options: { autoCreate } };
  const { session, huma, crona, identity } = await fetchPreview(flags, state, extra, options.quiet ?? Boolean(flags.json), home.transports());
  const plan = session.plan({});
  // Unattended, a mass change is never approved: serve holds it for an administrator.
  session.apply(plan.hash, { allowMassChange: Boolean(options.allowMassChange) });
  await drive(session, { huma, crona }, { concurrency: Number(flags.concurrency ?? 6) });
  const report = session.report();
  return { report, plan, exit: home.saveResults(report, identity) };
}

/** @param {Flags} flags */
export async function push(flags) {
  if (flags['approve-held']) return approveHeld(flags);
  const ids = /** @type {string[]} */ (flags.user ?? []);
  if (!ids.length) throw new CronaSyncError('usage', 'Name at least one Huma user: --user ID (repeatable), or --approve-held.');
  const { report, exit } = await pushPeople(flags, ids);
  process.stdout.write(flags.json ? visibleJson(report) + '\n' : reportText(report, colours(process.stdout)));
  return exit;
}

/**
 * `push --approve-held`: an administrator approves what serve held. The people are pushed as
 * one approved push (a mass change included); someone Huma still won't serve stays held, and
 * the rest go through. Entries are removed only once their people were pushed.
 * @param {Flags} flags
 */
async function approveHeld(flags) {
  if (flags.data) throw new CronaSyncError('usage', "--approve-held works on the held file serve writes beside the connection's files; it doesn't take --data yet.");
  const home = openHome(flags);
  const path = /** @type {string} */ (home.statePath);
  const release = home.lock('push');
  try {
    const file = heldFile(flags, path);
    const held = readHeld(file);
    const say = (/** @type {string} */ text) => flags.json || process.stdout.write(text);
    if (!held.length) {
      if (flags.json) process.stdout.write(visibleJson({ approved: 0, stillHeld: 0, report: null }) + '\n');
      say('Nothing is held: every webhook event was pushed.\n');
      return 0;
    }
    const { events, people } = heldCounts(held);
    say(`Approving ${events} held event(s) for ${people} ${people === 1 ? 'person' : 'people'}.\n`);
    let ids = [...new Set(held.flatMap((h) => h.ids))];
    /** @type {Map<string, CronaSyncError>} Huma users who still can't be pushed */
    const refused = new Map();
    let result = null;
    while (ids.length && !result) {
      try {
        result = await pushLocked(flags, home, ids, { allowMassChange: true, autoCreate: held.some((h) => h.autoCreate), quiet: Boolean(flags.json) });
      } catch (error) {
        if (!(error instanceof CronaSyncError)) throw error;
        const details = /** @type {{ transient?: boolean, humaUserId?: string } | null} */ (error.details);
        const person = details?.transient ? undefined : details?.humaUserId;
        if (!person || !ids.includes(person)) throw error; // nothing was pushed; everything stays held
        refused.set(person, error);
        ids = ids.filter((id) => id !== person);
      }
    }
    // What stays: the people who still can't be read, and those whose writes failed.
    const failed = new Set((result?.report.errors ?? []).map((/** @type {any} */ e) => e.person?.humaId).filter(Boolean));
    const pushed = new Set(ids.filter((id) => !failed.has(id)));
    const left = held
      .map((h) => ({ ...h, ids: h.ids.filter((id) => !pushed.has(id)) }))
      .filter((h) => h.ids.length);
    writeHeld(file, left);
    if (flags.json) {
      process.stdout.write(visibleJson({ approved: pushed.size, stillHeld: refused.size + failed.size, report: result?.report ?? null }) + '\n');
    } else {
      if (result) process.stdout.write(reportText(result.report, colours(process.stdout)));
      for (const [id, e] of refused) process.stdout.write(`Still held: Huma user ${visible(id)}: ${visible(e.message)}\n`);
    }
    return refused.size || failed.size ? 1 : (result?.exit ?? 0);
  } finally {
    release();
  }
}
