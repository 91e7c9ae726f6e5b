// The mapped fields (DOMAIN.md §2) read off either system exactly as its API serves them. Planted-case records
// hold these values, the Huma shapes serve the address and bank account through them, and the tests compare them.

/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Employee} Employee */
/** @typedef {import('../types.js').Address} Address */
/** @typedef {import('../types.js').BankAccount} BankAccount */

/** The mapped user fields, in the order of DOMAIN.md §2. */
export const FIELDS = /** @type {const} */ (['email', 'employmentId', 'givenName', 'familyName', 'address', 'phone', 'bankAccount', 'privateEmail']);

/** @typedef {(typeof FIELDS)[number]} Field */

/** Huma's served `homeAddress.value`: empty line2/line3 are left out. @param {Address | null} a */
export function addressValue(a) {
  if (!a) return null;
  /** @type {Record<string, string>} */
  const v = { line1: a.line1 };
  if (a.line2) v.line2 = a.line2;
  if (a.line3) v.line3 = a.line3;
  v.postalCode = a.postalCode;
  v.city = a.city;
  v.country = a.country;
  return v;
}

/** Huma's served `bankAccount.value` (`code` is the account's country; huma-api.md leaves it unexplained). @param {BankAccount | null} b */
export function bankValue(b) {
  if (!b) return null;
  if (b.type === 'international') return { type: 'international', code: b.code, iban: b.iban, bic: b.bic };
  return { type: 'national', code: b.country, number: b.number, country: b.country };
}

/**
 * The value Huma serves for a mapped field (GET /users/{id}: the wrapper's `value`, or null when empty).
 * @param {HumaUser} u @param {Field} field
 * @returns {unknown}
 */
export function humaValue(u, field) {
  switch (field) {
    case 'email': return u.email;
    case 'address': return addressValue(u.homeAddress);
    case 'bankAccount': return bankValue(u.bankAccount);
    default: return u[field] ?? null;
  }
}

/** Crona field names per mapped field. */
export const CRONA_FIELDS = {
  email: ['EpostArb'], employmentId: ['AnstNr'], givenName: ['FoNamn'], familyName: ['EfNamn'],
  address: ['Adress1', 'Adress2', 'PostNr', 'PostOrt', 'LandAdr'], phone: ['Mobil'],
  bankAccount: ['UtbetClearNr', 'UtbetKontoNr'], privateEmail: ['EpostPriv'],
};

/**
 * The value Crona serves for a mapped field: a string (or null) for one-column fields; for address and bank
 * account an object of the columns (absent → null), or null when every column is empty.
 * @param {Employee} e @param {Field} field
 * @returns {unknown}
 */
export function cronaValue(e, field) {
  const cols = CRONA_FIELDS[field];
  const rec = /** @type {Record<string, unknown>} */ (e);
  if (cols.length === 1) return rec[/** @type {string} */ (cols[0])] ?? null;
  /** @type {Record<string, unknown>} */
  const v = {};
  let any = false;
  for (const c of cols) {
    v[c] = rec[c] ?? null;
    if (v[c] !== null && v[c] !== '') any = true;
  }
  return any ? v : null;
}
