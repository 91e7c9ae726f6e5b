// Dates, counts and names as an administrator reads them.
import { stockholmDate } from '../../pkg/lib/clock.js';

/** @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(d);
}

/** @param {number} n @param {string} one @param {string} many */
export function count(n, one, many) {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** A field's name as the page shows it: the core's field table is the one source. */
export { fieldLabel } from '../../pkg/web.js';

/** The kinds of run, as the page names them (the buttons' and the schedule's words). */
export const KIND_LABELS = Object.freeze({
  sync: 'Synchronize users',
  push: 'Push',
  webhook: 'Webhook push',
  scheduled: 'Daily run',
  drift: 'Drift check',
});

/** @param {string} kind */
export function kindLabel(kind) {
  return /** @type {Record<string, string>} */ (KIND_LABELS)[kind] ?? kind;
}

/** Today in Sweden, where the payroll runs. */
export function today() {
  return stockholmDate(new Date());
}

/** @param {unknown} error */
export function message(error) {
  return error instanceof Error ? error.message : String(error);
}
