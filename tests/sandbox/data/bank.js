// Valid Swedish bank accounts of many banks, built with the check-digit rules of bank-accounts.md and written in
// the shapes people type them. Generation only: validation is the product's job (and the tests check ours).

/**
 * The banks the staff use: clearing ranges and account type (bank-accounts.md §4). `weight` is the share.
 * 'personkonto' = Nordea 3300, account = the holder's personnummer (type 2:1).
 * @type {readonly { bank: string, type: '1:1' | '1:2' | '2:2' | '2:3' | 'personkonto', weight: number, clearings: readonly (readonly [number, number])[] }[]}
 */
export const BANKS = [
  { bank: 'Swedbank', type: '2:3', weight: 22, clearings: [[8000, 8999]] },
  { bank: 'Handelsbanken', type: '2:2', weight: 18, clearings: [[6000, 6999]] },
  { bank: 'SEB', type: '1:1', weight: 14, clearings: [[5000, 5999]] },
  { bank: 'Nordea', type: '1:1', weight: 10, clearings: [[1100, 1199], [1400, 2099], [3000, 3299]] },
  { bank: 'Nordea', type: 'personkonto', weight: 10, clearings: [[3300, 3300]] },
  { bank: 'Nordea', type: '1:2', weight: 2, clearings: [[4000, 4999]] },
  { bank: 'Danske Bank', type: '1:1', weight: 4, clearings: [[1200, 1399], [2400, 2499]] },
  { bank: 'Länsförsäkringar Bank', type: '1:2', weight: 4, clearings: [[9020, 9029]] },
  { bank: 'Länsförsäkringar Bank', type: '1:1', weight: 2, clearings: [[3400, 3409], [9060, 9069]] },
  { bank: 'Swedbank', type: '1:1', weight: 3, clearings: [[7000, 7999]] },
  { bank: 'ICA Banken', type: '1:1', weight: 3, clearings: [[9270, 9279]] },
  { bank: 'Skandiabanken', type: '1:2', weight: 3, clearings: [[9150, 9169]] },
  { bank: 'SBAB Bank', type: '1:1', weight: 1, clearings: [[9250, 9259]] },
  { bank: 'Avanza Bank', type: '1:2', weight: 1, clearings: [[9550, 9564]] },
  { bank: 'Ålandsbanken', type: '1:2', weight: 1, clearings: [[2300, 2399]] },
];

/**
 * One account, split the way both systems need it.
 * @typedef {Object} AccountParts
 * @property {string} bank
 * @property {string} type          1:1, 1:2, 2:2, 2:3 or personkonto
 * @property {string} clearing      4 digits
 * @property {string} clearingCheck Swedbank 8xxx: the Luhn digit of the clearing ("8327" → "9"); else ""
 * @property {string} account       the account digits, leading zeros included
 */

/** Luhn check digit for `digits` (the digit to append). @param {string} digits */
export function luhnDigit(digits) {
  let sum = 0;
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = Number(digits[i]) * (dbl ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * mod 11 check digit with the weights 1, 2, …, 10, 1, 2 … counted from the right (the appended digit has weight 1).
 * This one rule covers 1:1 (clearing digits 2–4 + account), 1:2 (whole clearing + account) and 2:2 (account).
 * @param {string} digits
 * @returns {string | null} null when the remainder would need a check digit of 10 (such numbers are never issued)
 */
export function mod11Digit(digits) {
  let sum = 0;
  for (let i = digits.length - 1, w = 2; i >= 0; i--, w = w === 10 ? 1 : w + 1) sum += Number(digits[i]) * w;
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? null : String(c);
}

/**
 * @param {import('../random.js').Rng} rng
 * @param {string} personnummer10  YYMMDDNNNC, the account of a Nordea personkonto
 * @param {string} [onlyType]      force one account type, e.g. '2:3' for Swedbank 8xxx (planted cases)
 * @returns {AccountParts}
 */
export function makeAccount(rng, personnummer10, onlyType) {
  const rows = onlyType ? BANKS.filter((b) => b.type === onlyType) : BANKS;
  const row = rng.weighted(rows.map((b) => /** @type {const} */ ([b.weight, b])));
  const range = rng.pick(row.clearings);
  const clearing = String(rng.int(range[0], range[1]));
  for (;;) {
    const account = accountDigits(rng, row.type, clearing, personnummer10);
    if (account === null) continue; // a mod-11 base needing check digit 10: draw again
    const clearingCheck = row.type === '2:3' ? luhnDigit(clearing) : '';
    return { bank: row.bank, type: row.type, clearing, clearingCheck, account };
  }
}

/**
 * @param {import('../random.js').Rng} rng @param {string} type @param {string} clearing @param {string} pnr
 * @returns {string | null}
 */
function accountDigits(rng, type, clearing, pnr) {
  switch (type) {
    case '1:1': { const base = rng.digits(6); const c = mod11Digit(clearing.slice(1) + base); return c && base + c; }
    case '1:2': { const base = rng.digits(6); const c = mod11Digit(clearing + base); return c && base + c; }
    case '2:2': {
      // Handelsbanken: 9 digits, some old 8-digit accounts (zero-padded to 9 for the check)
      const base = rng.chance(0.15) ? String(rng.int(1000000, 9999999)) : String(rng.int(10000000, 99999999));
      const c = mod11Digit(base);
      return c && base + c;
    }
    case '2:3': {
      // Swedbank: mostly 10 digits (often a leading 0), some 7–9
      const len = rng.weighted([[70, 10], [10, 9], [12, 8], [8, 7]]);
      const base = len === 10 && rng.chance(0.4) ? `0${rng.digits(8)}` : String(rng.int(1, 9)) + rng.digits(len - 2);
      return base + luhnDigit(base);
    }
    default:
      return pnr; // personkonto
  }
}

/**
 * The same account with its last digit changed: fails its check (mod 10 and mod 11 both see a change of ±1).
 * @param {AccountParts} parts @returns {AccountParts}
 */
export function corruptAccount(parts) {
  const last = Number(parts.account.slice(-1));
  return { ...parts, account: parts.account.slice(0, -1) + String((last + 1) % 10) };
}

/** The typed shapes, per account type. */
const SHAPES = {
  '2:3': ['swedbankPrinted', 'swedbankFiveSpace', 'swedbankFiveJoined', 'swedbankFour', 'swedbankFiveDash'],
  '2:2': ['space', 'dashGrouped', 'joined', 'commaGrouped'],
  '1:1': ['dash', 'spaceGrouped', 'joined', 'space'],
  '1:2': ['dash', 'spaceGrouped', 'joined', 'space'],
  personkonto: ['dash', 'pnrDash', 'joined', 'space'],
};

/**
 * The Huma `number` string, in a shape people type: "8327-9, 014 725 892-5", "6114 517182351",
 * "3300-8411283941", "5402-0012345", "6114-517 182 351", "83279 0147258925" …
 * @param {import('../random.js').Rng} rng @param {AccountParts} p @param {string} [shape]
 */
export function typedAccount(rng, p, shape) {
  const s = shape ?? rng.pick(SHAPES[/** @type {keyof typeof SHAPES} */ (p.type)] ?? SHAPES['1:1']);
  const c = p.clearing, a = p.account, cc = p.clearingCheck;
  switch (s) {
    case 'swedbankPrinted': return `${c}-${cc}, ${groupTail(a)}`;
    case 'swedbankFiveSpace': return `${c}-${cc} ${a}`;
    case 'swedbankFiveJoined': return `${c}${cc} ${a}`;
    case 'swedbankFour': return `${c} ${a}`;
    case 'swedbankFiveDash': return `${c}-${cc}-${a}`;
    case 'space': return `${c} ${a}`;
    case 'dashGrouped': return `${c}-${a.slice(0, -6)} ${a.slice(-6, -3)} ${a.slice(-3)}`;
    case 'commaGrouped': return `${c}, ${a.slice(0, -6)} ${a.slice(-6, -3)} ${a.slice(-3)}`;
    case 'spaceGrouped': return `${c} ${a.slice(0, 2)} ${a.slice(2, 5)} ${a.slice(5)}`;
    case 'pnrDash': return `${c} ${a.slice(0, 6)}-${a.slice(6)}`;
    case 'joined': return `${c}${a}`;
    default: return `${c}-${a}`;
  }
}

/** "0147258925" → "014 725 892-5": groups of three from the left, the check digit after a hyphen. @param {string} a */
function groupTail(a) {
  const body = a.slice(0, -1);
  const groups = [];
  for (let i = body.length; i > 0; i -= 3) groups.unshift(body.slice(Math.max(0, i - 3), i));
  return `${groups.join(' ')}-${a.slice(-1)}`;
}

/**
 * Crona's UtbetClearNr + UtbetKontoNr. Swedbank clearings are stored with the fifth digit by some
 * payroll admins and without by others; both are legitimate.
 * @param {AccountParts} p @param {boolean} fifthDigit
 */
export function cronaAccount(p, fifthDigit) {
  return { UtbetClearNr: fifthDigit && p.clearingCheck ? p.clearing + p.clearingCheck : p.clearing, UtbetKontoNr: p.account };
}

/**
 * A valid foreign IBAN + BIC (a Norwegian, Danish, Finnish or German account), for the international case.
 * @param {import('../random.js').Rng} rng
 */
export function makeIban(rng) {
  const kind = rng.pick([
    { code: 'NO', bban: () => `${rng.digits(4)}${rng.digits(7)}`, bic: 'DNBANOKKXXX' },
    { code: 'DK', bban: () => `${rng.digits(4)}${rng.digits(10)}`, bic: 'DABADKKKXXX' },
    { code: 'FI', bban: () => `${rng.digits(14)}`, bic: 'NDEAFIHHXXX' },
    { code: 'DE', bban: () => `${rng.digits(8)}${rng.digits(10)}`, bic: 'COBADEFFXXX' },
  ]);
  const bban = kind.bban();
  const numeric = (bban + kind.code + '00').replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  const check = String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
  const iban = `${kind.code}${check}${bban}`;
  return { code: kind.code, iban: iban.replace(/(.{4})/g, '$1 ').trim(), bic: kind.bic };
}
