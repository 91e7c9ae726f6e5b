// Calendar dates as 'YYYY-MM-DD' strings (the format of both APIs). Plain string comparison orders them.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86400000;

/** @param {unknown} s @returns {s is string} true for a real calendar date in YYYY-MM-DD form */
export function isDate(s) {
  if (typeof s !== 'string') return false;
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** @param {string} s @returns {number} days since 1970-01-01 */
export function toDays(s) {
  return Math.floor(Date.parse(`${s}T00:00:00Z`) / DAY_MS);
}

/** @param {number} days @returns {string} */
export function fromDays(days) {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** @param {string} s @param {number} n @returns {string} */
export function addDays(s, n) {
  return fromDays(toDays(s) + n);
}

/** Adds months, clamping to the month's last day (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(/** @type {string} */ s, /** @type {number} */ n) {
  const [y, m, d] = s.split('-').map(Number);
  const total = (y ?? 1970) * 12 + (m ?? 1) - 1 + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d ?? 1, last)).padStart(2, '0')}`;
}

/** Whole months from a to b (0 when b is before a). @param {string} a @param {string} b */
export function monthsBetween(a, b) {
  const [ya, ma, da] = a.split('-').map(Number);
  const [yb, mb, db] = b.split('-').map(Number);
  let months = ((yb ?? 0) - (ya ?? 0)) * 12 + ((mb ?? 0) - (ma ?? 0));
  if ((db ?? 0) < (da ?? 0)) months -= 1;
  return Math.max(0, months);
}
