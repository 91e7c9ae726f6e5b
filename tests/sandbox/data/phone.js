// Swedish mobile numbers in the shapes people type them. All shapes of one number are equal as E.164.

/** The shapes seen in HR and payroll registers, for the number 070-123 45 67. */
export const PHONE_STYLES = /** @type {const} */ (['dashed', 'intlSpaced', 'plain', 'e164', 'dashedPlain', 'spaced']);

/** @typedef {(typeof PHONE_STYLES)[number]} PhoneStyle */

/**
 * A mobile number without the leading 0: "701234567" (operator prefix 70/72/73/76/79 + 7 digits).
 * @param {import('../random.js').Rng} rng
 */
export function makeMobile(rng) {
  return rng.pick(['70', '72', '73', '76', '79']) + rng.digits(7);
}

/**
 * @param {string} n  nine digits, as from makeMobile
 * @param {PhoneStyle} style
 * @returns {string}  e.g. dashed "070-123 45 67", intlSpaced "+46 70 123 45 67", plain "0701234567",
 *                    e164 "+46701234567", dashedPlain "070-1234567", spaced "070 123 45 67"
 */
export function formatPhone(n, style) {
  const op = n.slice(0, 2), a = n.slice(2, 5), b = n.slice(5, 7), c = n.slice(7, 9);
  switch (style) {
    case 'dashed': return `0${op}-${a} ${b} ${c}`;
    case 'intlSpaced': return `+46 ${op} ${a} ${b} ${c}`;
    case 'plain': return `0${n}`;
    case 'e164': return `+46${n}`;
    case 'dashedPlain': return `0${op}-${n.slice(2)}`;
    case 'spaced': return `0${op} ${a} ${b} ${c}`;
  }
}

/**
 * Loose E.164 digits for uniqueness checks ("070-123 45 67" and "+46701234567" → "46701234567").
 * @param {string} phone
 */
export function phoneKey(phone) {
  const digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  if (digits.startsWith('0')) return `46${digits.slice(1)}`;
  return digits;
}
