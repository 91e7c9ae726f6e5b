// Builds the whole sandbox world from (seed, people, today, drift): Huma's organisation, groups, job titles, users
// and positions; Crona's company and employees; the planted cases; and the drifted persons. Same inputs →
// byte-identical data.

import { Rng } from '../random.js';
import { CITIES } from './places.js';
import { TEAMS, ALL_TITLES, companyFor } from './org.js';
import { luhnDigit } from './bank.js';
import { makePair } from './person.js';
import { plant, recordPlanted } from './plant.js';
import { applyDrift } from './drift.js';
import { deriveCronaValues } from './employment.js';
import { canonicalEmployee } from '../crona/employee.js';

/** @typedef {import('../types.js').World} World */
/** @typedef {import('../types.js').HumaGroup} HumaGroup */
/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Employee} Employee */
/** @typedef {import('./person.js').Pair} Pair */

/**
 * @param {{ seed: number, people: number, today: string, drift?: number }} options  drift: 0..1, default 0
 * @returns {World}
 */
export function generateWorld({ seed, people, today, drift = 0 }) {
  const ids = new Rng(seed, 'ids');
  const company = companyFor(seed);
  const groups = makeGroups(ids, company);
  const jobTitles = ALL_TITLES.map((name) => ({ id: ids.uuid(), name }));
  const titleIds = new Map(jobTitles.map((t) => [t.name, t.id]));
  const titleById = new Map(jobTitles.map((t) => [t.id, t.name]));
  /** @param {string | null} id */
  const titleName = (id) => (id ? titleById.get(id) ?? null : null);

  const companyGroup = /** @type {HumaGroup} */ (groups[0]);
  /** @type {import('./person.js').Registry} */
  const reg = {
    seed, today, domain: company.domain, emailLocals: new Map(), mobiles: new Set(), nextEmploymentId: 1000,
    companyId: companyGroup.id,
    locationIds: groups.filter((g) => g.type === 'location').map((g) => g.id),
    teamIds: groups.filter((g) => g.type === 'team').map((g) => g.id),
    titleIds,
  };

  /** @type {Pair[]} */
  const pairs = [];
  for (let i = 0; i < people; i++) pairs.push(makePair(reg, i, (j) => pairs[j]?.huma?.id ?? null));
  // what payroll had before any planting
  for (const pair of pairs) if (!pair.cronaOwnPositions) setCronaPositions(pair, today, titleName);

  /** @type {import('./plant.js').PlantCtx} */
  const ctx = { rng: new Rng(seed, 'plant'), reg, today, otherCompanyId: /** @type {HumaGroup} */ (groups[1]).id, extraEmployees: [] };
  const drafts = plant(ctx, pairs);
  for (const pair of pairs) if (!pair.cronaOwnPositions) setCronaPositions(pair, today, titleName);
  // a share of the plain matched persons get one everyday difference (none with drift 0)
  const plantedPairs = new Set(drafts.flatMap((d) => [d.main, ...(d.others ?? [])]));
  const drifted = applyDrift({ seed, drift, reg }, pairs, plantedPairs);

  const creds = new Rng(seed, 'credentials');
  const serviceUser = makeServiceUser(creds, company.domain);
  /** @type {HumaUser[]} */
  const users = [serviceUser];
  /** @type {Map<string, import('../types.js').HumaPosition[]>} */
  const positions = new Map();
  /** @type {Map<string, Employee>} */
  const employees = new Map();
  for (const pair of pairs) {
    if (pair.huma) {
      users.push(pair.huma);
      positions.set(pair.huma.id, pair.positions);
    }
    if (pair.crona) employees.set(pair.crona.AnstNr, canonicalEmployee(pair.crona));
  }
  for (const e of ctx.extraEmployees) employees.set(e.AnstNr, canonicalEmployee(e));
  const usersById = new Map(users.map((u) => [u.id, u]));
  for (const u of users) if (u.supervisorId && !usersById.has(u.supervisorId)) u.supervisorId = null;

  return {
    seed, people, today, drift,
    huma: {
      organizationId: creds.uuid(), clientId: creds.uuid(), clientSecret: creds.uuid(), serviceUserId: serviceUser.id,
      groups, groupsById: new Map(groups.map((g) => [g.id, g])), jobTitles, jobTitlesById: new Map(jobTitles.map((t) => [t.id, t])),
      users, usersById, positions, cache: { sorted: null, subordinates: null },
    },
    crona: {
      activationCode: activationCode(creds), apiKey: `crona_sk_${creds.hex(40)}`, companyId: creds.uuid(), companyName: company.name,
      employees, cache: { sorted: null },
    },
    planted: recordPlanted(drafts, today, titleName),
    drifted,
  };
}

/**
 * Companies (the employer and its sister company), one location per city, the teams.
 * @param {Rng} rng @param {ReturnType<typeof companyFor>} company @returns {HumaGroup[]}
 */
function makeGroups(rng, company) {
  /** @param {string} prefix */
  const orgNr = (prefix) => {
    const base = prefix + rng.digits(9 - prefix.length);
    const full = base + luhnDigit(base);
    return `${full.slice(0, 6)}-${full.slice(6)}`;
  };
  const hq = { line1: 'Sveavägen 44', postalCode: '111 34', city: 'Stockholm', country: 'SE' };
  return [
    { id: rng.uuid(), name: company.name, type: 'company', organizationNumber: orgNr('556'), address: hq },
    { id: rng.uuid(), name: company.sister, type: 'company', organizationNumber: orgNr('559'), address: hq },
    ...CITIES.map((c) => /** @type {HumaGroup} */ ({
      id: rng.uuid(), name: `Kontor ${c.name}`, type: 'location',
      address: { line1: `${rng.pick(c.streets)} ${rng.int(1, 60)}`, postalCode: String(rng.int(...(/** @type {[number, number]} */ (c.postcodes[0])))).replace(/^(\d{3})/, '$1 '), city: c.name, country: 'SE' },
    })),
    ...TEAMS.map((t) => /** @type {HumaGroup} */ ({ id: rng.uuid(), name: t.name, type: 'team' })),
  ];
}

/** The API key's own user (`me`): a service user, not listed by GET /users. @param {Rng} rng @param {string} domain @returns {HumaUser} */
function makeServiceUser(rng, domain) {
  return {
    id: rng.uuid(), type: 'service_user', hidden: true, givenName: 'Open API', familyName: 'Crona Lön', preferredName: null,
    email: `open-api+crona@${domain}`, requestedEmail: null, privateEmail: null, phone: null, homeAddress: null, bankAccount: null,
    employmentId: null, birthDate: null, gender: null, nationality: null, personnummer: null, groupIds: [], supervisorId: null,
    active: true, deactivatedAt: null, invitedAt: null, lastLoggedInAt: null, locked: {}, emptyAsNull: false,
  };
}

/** "K7QX-4M2P-9RTD": no 0/O/1/I, so it survives being read aloud. @param {Rng} rng */
function activationCode(rng) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let s = '';
  for (let i = 0; i < 12; i++) s += alphabet[rng.uint32() % alphabet.length] + (i % 4 === 3 && i < 11 ? '-' : '');
  return s;
}

/**
 * Crona's AnstDatum, AvgDatum, Slutat and Befattning, as derived from the person's Huma positions.
 * @param {Pair} pair @param {string} today @param {(id: string | null) => string | null} titleName
 */
function setCronaPositions(pair, today, titleName) {
  if (!pair.crona) return;
  const d = deriveCronaValues(pair.positions, today, titleName);
  const e = /** @type {Record<string, unknown>} */ (pair.crona);
  for (const k of /** @type {const} */ (['AnstDatum', 'AvgDatum', 'Befattning'])) {
    if (d[k] !== null) e[k] = d[k];
    else if (pair.cronaNulls) e[k] = null;
    else delete e[k];
  }
  e.Slutat = d.Slutat;
}
