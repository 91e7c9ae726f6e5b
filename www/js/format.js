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

/** The field names as the page shows them. */
export const FIELD_LABELS = Object.freeze({
  email: 'Work e-mail',
  employmentId: 'Employment ID / AnstNr',
  givenName: 'Given name',
  familyName: 'Family name',
  address: 'Address',
  phone: 'Mobile phone',
  bankAccount: 'Bank account',
  privateEmail: 'Private e-mail',
  anstDatum: 'Employment start (AnstDatum)',
  avgDatum: 'Employment end (AvgDatum)',
  slutat: 'Slutat',
  befattning: 'Job title (Befattning)',
});

/** @param {string} field */
export function fieldLabel(field) {
  return /** @type {Record<string, string>} */ (FIELD_LABELS)[field] ?? field;
}

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
