// Planted differences on matched people: a conflict (both set, different) and a missing value (one side empty)
// for every mapped field. Eight people carry them, up to three each, never two on the same field.

import { FAMILY, NICKNAMES } from './names.js';
import { formatPhone, PHONE_STYLES } from './phone.js';
import { makeAccount, typedAccount } from './bank.js';
import { uniqueMobile, privateEmail } from './person.js';
import { setEmpty, pnr10 } from './plant-util.js';

/** @typedef {import('./plant.js').Draft} Draft */
/** @typedef {import('./plant.js').PlantCtx} PlantCtx */
/** @typedef {import('./person.js').Pair} Pair */
/** @typedef {import('./fields.js').Field} Field */

/**
 * [kind, field, part?] in the order they are dealt to the eight people (person k gets cases k, k+8, k+16).
 * employmentId can't be missing in Crona: AnstNr is Crona's key.
 * @type {readonly (readonly [string, Field, string?])[]}
 */
export const FIELD_CASES = [
  ['conflict', 'employmentId'], ['missingInHuma', 'employmentId'],
  ['conflict', 'givenName'], ['missingInHuma', 'givenName'], ['missingInCrona', 'givenName'],
  ['conflict', 'familyName'], ['missingInHuma', 'familyName'], ['missingInCrona', 'familyName'],
  ['conflict', 'address', 'line1'], ['conflict', 'address', 'postalCode'], ['missingInHuma', 'address'],
  ['missingInCrona', 'address'], ['missingInCrona', 'address', 'line2'],
  ['conflict', 'phone'], ['missingInHuma', 'phone'], ['missingInCrona', 'phone'],
  ['conflict', 'bankAccount'], ['missingInHuma', 'bankAccount'], ['missingInCrona', 'bankAccount'],
  ['conflict', 'privateEmail'], ['missingInHuma', 'privateEmail'], ['missingInCrona', 'privateEmail'],
];

export const FIELD_PEOPLE = 8;

/** @param {PlantCtx} ctx @param {Pair[]} people  eight matched people @returns {Draft[]} */
export function plantFieldCases(ctx, people) {
  return FIELD_CASES.map(([kind, field, part], j) => {
    const main = /** @type {Pair} */ (people[j % people.length]);
    const note = applyFieldCase(ctx, main, kind, field, part);
    return { kind, field, part, main, note };
  });
}

/**
 * @param {PlantCtx} ctx @param {Pair} pair @param {string} kind @param {Field} field @param {string} [part]
 * @returns {string} the note
 */
function applyFieldCase(ctx, pair, kind, field, part) {
  const h = /** @type {import('../types.js').HumaUser} */ (pair.huma);
  const c = /** @type {import('../types.js').Employee} */ (pair.crona);
  const { rng } = ctx;
  const key = `${kind}:${field}${part ? ':' + part : ''}`;
  switch (key) {
    case 'conflict:employmentId':
      h.employmentId = String((ctx.reg.nextEmploymentId += 1));
      return 'Huma has another employment id than the AnstNr; only "update Huma from Crona" or "leave" is allowed';
    case 'missingInHuma:employmentId':
      h.employmentId = null;
      return 'Huma has no employment id; Crona has the AnstNr';
    case 'conflict:givenName': {
      const [formal, nick] = rng.pick(NICKNAMES);
      h.givenName = formal;
      c.FoNamn = nick;
      return 'Huma has the formal given name, payroll the short form';
    }
    case 'missingInHuma:givenName':
      h.givenName = null;
      return 'given name missing in Huma (an old import); GET /users serves it as ""';
    case 'missingInCrona:givenName':
      setEmpty(pair, 'FoNamn');
      return 'FoNamn missing in Crona';
    case 'conflict:familyName':
      h.familyName = rng.pick(FAMILY.filter((f) => f !== h.familyName));
      return 'new family name after marriage in Huma; Crona still has the old one';
    case 'missingInHuma:familyName':
      h.familyName = null;
      return 'family name missing in Huma';
    case 'missingInCrona:familyName':
      setEmpty(pair, 'EfNamn');
      return 'EfNamn missing in Crona';
    case 'conflict:address:line1': {
      const a = /** @type {import('../types.js').Address} */ (h.homeAddress);
      a.line1 = a.line1.replace(/\d+/, (n) => String(Number(n) + rng.int(2, 30)));
      return 'moved along the same street: street numbers differ';
    }
    case 'conflict:address:postalCode': {
      const p = String(c.PostNr ?? '');
      c.PostNr = p.slice(0, -1) + String((Number(p.slice(-1)) + 1) % 10);
      return 'a typo in the Crona postcode';
    }
    case 'missingInHuma:address':
      h.homeAddress = null;
      return 'no home address in Huma';
    case 'missingInCrona:address':
      for (const k of /** @type {const} */ (['Adress1', 'Adress2', 'PostNr', 'PostOrt', 'LandAdr'])) setEmpty(pair, k);
      return 'no address in Crona';
    case 'missingInCrona:address:line2': {
      const a = /** @type {import('../types.js').Address} */ (h.homeAddress);
      if (!a.line2) a.line2 = `lgh ${rng.int(10, 16)}0${rng.int(1, 9)}`;
      setEmpty(pair, 'Adress2');
      return 'the apartment number (lgh) is in Huma line2 but Adress2 is empty in Crona';
    }
    case 'conflict:phone':
      c.Mobil = formatPhone(uniqueMobile(rng, ctx.reg), rng.pick(PHONE_STYLES));
      return 'a new mobile number in Crona';
    case 'missingInHuma:phone':
      h.phone = null;
      return 'no phone in Huma';
    case 'missingInCrona:phone':
      setEmpty(pair, 'Mobil');
      return 'no Mobil in Crona';
    case 'conflict:bankAccount': {
      const before = pair.person.account;
      let parts = makeAccount(rng, pnr10(pair.person));
      // a second personkonto would be the same account (it is the personnummer): draw until it really differs
      while (parts.clearing === before.clearing || parts.account === before.account) parts = makeAccount(rng, pnr10(pair.person));
      h.bankAccount = { type: 'national', number: typedAccount(rng, parts), country: 'SE' };
      return 'a new salary account in Huma (both valid)';
    }
    case 'missingInHuma:bankAccount':
      h.bankAccount = null;
      return 'no bank account in Huma';
    case 'missingInCrona:bankAccount':
      setEmpty(pair, 'UtbetClearNr');
      setEmpty(pair, 'UtbetKontoNr');
      return 'no salary account in Crona';
    default:
      return privateEmailCase(ctx, pair, kind);
  }
}

/** @param {PlantCtx} ctx @param {Pair} pair @param {string} kind */
function privateEmailCase(ctx, pair, kind) {
  const h = /** @type {import('../types.js').HumaUser} */ (pair.huma);
  const c = /** @type {import('../types.js').Employee} */ (pair.crona);
  const p = pair.person;
  const year = Number(p.birthDate.slice(0, 4));
  if (!h.privateEmail) h.privateEmail = c.EpostPriv = privateEmail(ctx.rng, p.givenName, p.familyName, year);
  if (kind === 'conflict') {
    let other = h.privateEmail;
    while (other === h.privateEmail) other = privateEmail(ctx.rng, p.givenName, p.familyName, year);
    h.privateEmail = other;
    return 'a new private e-mail in Huma';
  }
  if (kind === 'missingInHuma') {
    h.privateEmail = null;
    return 'no private e-mail in Huma';
  }
  setEmpty(pair, 'EpostPriv');
  return 'no EpostPriv in Crona';
}
