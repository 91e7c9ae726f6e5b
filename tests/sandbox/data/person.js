// One base person, and how each system holds them: a Huma user and a Crona employee with EQUAL values, each
// written the way that system's users write them (phone shapes, postcode with or without space, "SE" vs "Sverige").

import { Rng } from '../random.js';
import { FEMALE, MALE, FAMILY, asciiLocal } from './names.js';
import { makeAddress, pickCity, spacedPostcode } from './places.js';
import { makeMobile, formatPhone, PHONE_STYLES } from './phone.js';
import { makeAccount, typedAccount, cronaAccount, luhnDigit } from './bank.js';
import { TEAMS } from './org.js';
import { makePositions } from './positions.js';
import { mixedCase } from './plant-util.js';
import { addDays } from '../dates.js';

/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Employee} Employee */
/** @typedef {import('../types.js').HumaPosition} HumaPosition */

/**
 * What the generator shares between persons: uniqueness registers and the organisation's ids.
 * @typedef {Object} Registry
 * @property {number} seed
 * @property {string} today
 * @property {string} domain                   work e-mail domain
 * @property {Map<string, number>} emailLocals  local part → times used
 * @property {Set<string>} mobiles
 * @property {number} nextEmploymentId
 * @property {string} companyId
 * @property {string[]} locationIds            by city index
 * @property {string[]} teamIds                by TEAMS index
 * @property {Map<string, string>} titleIds    title name → id
 */

/**
 * @typedef {Object} BasePerson
 * @property {number} index
 * @property {'Female' | 'Male'} gender
 * @property {string} givenName
 * @property {string} familyName
 * @property {string} birthDate
 * @property {string} personnummer        YYYYMMDD-NNNC
 * @property {string} workEmail
 * @property {string | null} privateEmail
 * @property {string} mobile              nine digits after the 0
 * @property {import('./places.js').HomeAddress} address
 * @property {import('./bank.js').AccountParts} account
 * @property {string} employmentId
 * @property {number} teamIndex
 */

/**
 * One person as both systems hold them. `huma`/`crona` null = absent from that system.
 * @typedef {Object} Pair
 * @property {BasePerson} person
 * @property {HumaUser | null} huma
 * @property {Employee | null} crona
 * @property {HumaPosition[]} positions
 * @property {boolean} cronaOwnPositions  Crona's AnstDatum … were set here, not derived from `positions`
 * @property {boolean} cronaNulls         this employee's empty fields are null rather than absent
 * @property {Rng} rng                    the person's own stream, for later formatting choices
 */

/**
 * @param {Registry} reg
 * @param {number} index
 * @param {(index: number) => string | null} supervisorOf  the Huma id of an earlier person, by index
 * @returns {Pair}
 */
export function makePair(reg, index, supervisorOf) {
  const rng = new Rng(reg.seed, 'person', index);
  const person = makePerson(rng, reg, index);
  const huma = makeHumaUser(rng, reg, person);
  if (index > 0) huma.supervisorId = supervisorOf(rng.int(0, Math.max(0, Math.min(index - 1, Math.floor(index / 8)))));
  const positions = makePositions(rng, reg, huma.id, person.teamIndex, index === 0);
  const cronaNulls = rng.chance(0.5);
  const crona = makeEmployee(rng, person, cronaNulls);
  // some payroll admins type the work e-mail with capitals: the same address (matching ignores case)
  if (rng.chance(0.03)) crona.EpostArb = mixedCase(person.workEmail);
  const cronaOwnPositions = positions.length === 0;
  if (cronaOwnPositions) {
    // no positions in Huma: payroll still has the employment it registered itself
    crona.AnstDatum = addDays(reg.today, -rng.int(200, 3000));
    crona.Slutat = false;
    crona.Befattning = rng.pick(/** @type {(typeof TEAMS)[number]} */ (TEAMS[person.teamIndex]).titles);
  }
  return { person, huma, crona, positions, cronaOwnPositions, cronaNulls, rng };
}

/** @param {Rng} rng @param {Registry} reg @param {number} index @returns {BasePerson} */
function makePerson(rng, reg, index) {
  const gender = rng.chance(0.5) ? 'Female' : 'Male';
  const givenName = rng.pick(gender === 'Female' ? FEMALE : MALE);
  const familyName = rng.pick(FAMILY);
  const year = rng.int(1960, 2004), month = rng.int(1, 12), day = rng.int(1, 28);
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // personnummer: the 9th digit is odd for men, even for women; the 10th is the Luhn digit
  const serial = `${rng.digits(2)}${(rng.int(0, 4) * 2 + (gender === 'Male' ? 1 : 0))}`;
  const short = `${birthDate.slice(2).replace(/-/g, '')}${serial}`;
  const pnr10 = short + luhnDigit(short);
  const teamIndex = index === 0 ? 0 : rng.weighted(TEAMS.map((t, i) => /** @type {const} */ ([t.weight, i])));
  reg.nextEmploymentId += rng.int(1, 3); // numbers get skipped when offers are withdrawn
  return {
    index,
    gender,
    givenName,
    familyName,
    birthDate,
    personnummer: `${year}${pnr10.slice(2, 6)}-${pnr10.slice(6)}`,
    workEmail: workEmail(reg, givenName, familyName),
    privateEmail: rng.chance(0.85) ? privateEmail(rng, givenName, familyName, year) : null,
    mobile: uniqueMobile(rng, reg),
    address: makeAddress(rng, pickCity(rng)),
    account: makeAccount(rng, pnr10),
    employmentId: String(reg.nextEmploymentId),
    teamIndex,
  };
}

/** first.last@domain, with a number when taken (anna.lindqvist2@…). @param {Registry} reg @param {string} given @param {string} family */
export function workEmail(reg, given, family) {
  const local = `${asciiLocal(given)}.${asciiLocal(family)}`;
  const n = (reg.emailLocals.get(local) ?? 0) + 1;
  reg.emailLocals.set(local, n);
  return `${n === 1 ? local : local + n}@${reg.domain}`;
}

/** @param {Rng} rng @param {string} given @param {string} family @param {number} year */
export function privateEmail(rng, given, family, year) {
  const g = asciiLocal(given), f = asciiLocal(family), yy = String(year).slice(2);
  const pattern = rng.int(0, 5);
  const local = [`${g}.${f}${yy}`, `${g}${f.slice(0, 1)}`, `${g.slice(0, 1)}${f}`, `${g}_${f}`, `${g}.${f}`, `${g}${yy}`][pattern];
  return `${local}@${rng.pick(['gmail.com', 'hotmail.com', 'outlook.com', 'telia.com', 'icloud.com', 'live.se', 'bredband.net', 'yahoo.se'])}`;
}

/** A mobile number no one else has (Huma treats phone as unique). @param {Rng} rng @param {Registry} reg */
export function uniqueMobile(rng, reg) {
  for (;;) {
    const m = makeMobile(rng);
    if (!reg.mobiles.has(m)) {
      reg.mobiles.add(m);
      return m;
    }
  }
}

/** @param {Rng} rng @param {Registry} reg @param {BasePerson} p @returns {HumaUser} */
function makeHumaUser(rng, reg, p) {
  const a = p.address;
  return {
    id: rng.uuid(),
    type: 'user',
    hidden: false,
    givenName: p.givenName,
    familyName: p.familyName,
    preferredName: null,
    email: p.workEmail,
    requestedEmail: null,
    privateEmail: p.privateEmail,
    phone: formatPhone(p.mobile, rng.pick(PHONE_STYLES)),
    homeAddress: {
      line1: a.line1, line2: a.line2, line3: '',
      postalCode: rng.chance(0.7) ? spacedPostcode(a.postalCode) : a.postalCode,
      city: a.city, country: 'SE',
    },
    bankAccount: { type: 'national', number: typedAccount(rng, p.account), country: 'SE' },
    employmentId: p.employmentId,
    birthDate: p.birthDate,
    gender: p.gender,
    nationality: 'SE',
    personnummer: { id: rng.uuid(), value: p.personnummer },
    groupIds: [reg.companyId, /** @type {string} */ (reg.locationIds[a.cityIndex]), /** @type {string} */ (reg.teamIds[p.teamIndex])],
    supervisorId: null,
    active: true,
    deactivatedAt: null,
    invitedAt: `${2018 + rng.int(0, 6)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}T0${rng.int(6, 9)}:${rng.int(10, 59)}:00Z`,
    lastLoggedInAt: rng.chance(0.9) ? `2026-${String(rng.int(1, 10)).padStart(2, '0')}-${String(rng.int(10, 28))}T${rng.int(10, 19)}:${rng.int(10, 59)}:${rng.int(10, 59)}.${rng.int(100, 999)}Z` : null,
    // a few employment ids are held by another integration: equal values, but not editable through the API
    locked: rng.chance(0.03) ? { employmentId: 'possibly_locked_disconnect' } : {},
    emptyAsNull: rng.chance(0.5),
  };
}

/**
 * The Crona employee with the same values, written the payroll way. Position fields are filled in later.
 * @param {Rng} rng @param {BasePerson} p @param {boolean} nulls
 * @returns {Employee}
 */
function makeEmployee(rng, p, nulls) {
  const a = p.address;
  /** @type {Employee} */
  const e = {
    AnstNr: p.employmentId,
    FoNamn: p.givenName,
    EfNamn: p.familyName,
    Adress1: a.line1,
    PostNr: rng.chance(0.6) ? a.postalCode : spacedPostcode(a.postalCode),
    PostOrt: a.city,
    LandAdr: rng.weighted([[6, 'Sverige'], [3, 'SE'], [1, 'Sweden']]),
    Mobil: formatPhone(p.mobile, rng.pick(PHONE_STYLES)),
    EpostArb: p.workEmail,
    ...cronaAccount(p.account, rng.chance(0.4)),
  };
  if (a.line2) e.Adress2 = a.line2;
  if (p.privateEmail) e.EpostPriv = p.privateEmail;
  else if (nulls) e.EpostPriv = null;
  if (!a.line2 && nulls) e.Adress2 = null;
  return e;
}
