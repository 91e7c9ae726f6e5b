// The words a payroll administrator reads for the core's field keys and reason codes, in one
// place: the page, the text report, the CLI and the result e-mail all name fields and reasons
// through here, so no key or code reaches a person. Crona's own property names stand beside a
// field's label, as payroll administrators know them (Mobil, UtbetClearNr…).
import { fields } from './core.js';

/** @type {Map<string, string> | null} */
let names = null;

/**
 * A field by its key, with the Crona properties it is written to: "Salary account
 * (UtbetClearNr, UtbetKontoNr)"; a label that names them already ("Employment start
 * (AnstDatum)") stays as it is. A whole
 * new record (`all`) is "Every field (a new record)"; a key the table doesn't know is "Another field".
 * @param {string} key
 */
export function fieldName(key) {
  // A label that already names its Crona properties ("Employment ID (AnstNr)") is left as it is.
  names ??= new Map(fields().map((f) => {
    const crona = `(${f.crona.join(', ')})`;
    return [f.key, f.label.endsWith(crona) ? f.label : `${f.label} ${crona}`];
  }));
  if (key === 'all') return 'Every field (a new record)';
  return names.get(key) ?? 'Another field';
}

/** What each reason code means, in a few words. */
const REASONS = Object.freeze({
  // Why a difference remains after a run.
  failed: 'The write failed',
  notApplied: 'Written, not shown yet',
  blocked: 'Can\'t be written',
  leftByChoice: 'Left as chosen',
  would_clear: 'Not cleared by a bulk choice',
  not_allowed: 'Not possible',
  manual_sync: 'Waits for "Synchronize users"',
  unverified: 'Couldn\'t be checked',
  notRun: 'Not sent: the run was stopped',
  // Why the plan leaves something out, or what a choice does.
  nothing_to_write: 'Nothing to write',
  not_creatable: 'Can\'t be created',
  not_copied: 'Not copied',
  fills_gap: 'The empty side is filled',
  clears_by_choice: 'Clears the other value',
});

/**
 * A reason code in words; one this table doesn't know reads "Another reason" (never the code).
 * @param {string} code
 */
export function reasonWords(code) {
  return /** @type {Record<string, string>} */ (REASONS)[code] ?? 'Another reason';
}

/** Every code `reasonWords` knows: a test scans pages for them. */
export const REASON_CODES = Object.freeze(Object.keys(REASONS));

/** How a write ended, in a word or two. */
const OUTCOMES = Object.freeze({ done: 'done', failed: 'failed', notRun: 'not run', alreadyExisted: 'already there', unknown: 'may have been written' });

/** @param {string} outcome  an operation's outcome */
export function outcomeWords(outcome) {
  return /** @type {Record<string, string>} */ (OUTCOMES)[outcome] ?? 'another outcome';
}

/** @param {string} system  `huma` or `crona` */
export function systemName(system) {
  return system === 'huma' ? 'Huma' : system === 'crona' ? 'Crona Lön' : 'Another system';
}
