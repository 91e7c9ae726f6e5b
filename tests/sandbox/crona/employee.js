// Crona's Employee object (DOMAIN.md §4): its field names, in the order responses list them.

/** @typedef {import('../types.js').Employee} Employee */

export const EMPLOYEE_FIELDS = /** @type {const} */ ([
  'AnstNr', 'FoNamn', 'EfNamn', 'Adress1', 'Adress2', 'PostNr', 'PostOrt', 'LandAdr', 'Mobil', 'EpostArb', 'EpostPriv',
  'UtbetClearNr', 'UtbetKontoNr', 'AnstDatum', 'AvgDatum', 'Slutat', 'Befattning',
]);

/** The employee with its keys in canonical order, unknown keys dropped (JSON output is then stable). @param {Employee} e @returns {Employee} */
export function canonicalEmployee(e) {
  const src = /** @type {Record<string, unknown>} */ (e);
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of EMPLOYEE_FIELDS) if (k in src) out[k] = src[k];
  return /** @type {Employee} */ (out);
}
