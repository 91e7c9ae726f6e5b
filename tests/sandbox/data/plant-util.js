// Small helpers the planting recipes share.

/** @typedef {import('./person.js').Pair} Pair */

/**
 * Empties a Crona field the way this employee's record does it: null, or the key left out.
 * @param {Pair} pair @param {import('../types.js').CronaTextField} key
 */
export function setEmpty(pair, key) {
  const e = /** @type {Record<string, unknown>} */ (pair.crona);
  if (pair.cronaNulls) e[key] = null;
  else delete e[key];
}

/** "19840417-1232" → "8404171232", the account of a Nordea personkonto. @param {import('./person.js').BasePerson} p */
export function pnr10(p) {
  return p.personnummer.slice(2).replace('-', '');
}

/** "anna.lindqvist@exempelbygg.se" → "Anna.Lindqvist@ExempelBygg.se"-like: every word capitalised. @param {string} email */
export function mixedCase(email) {
  return email.replace(/(^|[.@-])([a-z])/g, (_, sep, ch) => sep + ch.toUpperCase());
}
