// The JSON shapes Huma serves (spec B): plain values in lists (User, SimpleUser, PositionSummary), per-field
// wrappers in UserDetails and Position. Built from the stored records on every response.

import { addressValue, bankValue } from '../data/fields.js';
import { positionStatus, primaryPosition, earliestStart, employmentEnd } from '../data/employment.js';
import { monthsBetween } from '../dates.js';

/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').HumaPosition} HumaPosition */
/** @typedef {import('../types.js').HumaGroup} HumaGroup */
/** @typedef {import('../types.js').World} World */

/** Fields Huma counts as "important" / "details" for completeness. */
const IMPORTANT = ['givenName', 'familyName', 'phone', 'homeAddress', 'bankAccount', 'birthDate'];
const DETAILS = ['privateEmail', 'gender', 'nationality', 'preferredName'];

/**
 * A FieldX wrapper. Empty values come as {"editable": true} or with "value": null, as the user record says.
 * @param {HumaUser} u @param {string} name @param {unknown} value
 * @param {{ completeness?: boolean, integrations?: boolean }} [opts]
 */
function field(u, name, value, opts = {}) {
  /** @type {Record<string, unknown>} */
  const w = {};
  const empty = value === null || value === undefined || value === '';
  if (!empty) w.value = value;
  else if (u.emptyAsNull) w.value = null;
  const warning = u.locked[name];
  w.editable = !warning;
  if (opts.completeness !== false) {
    if (IMPORTANT.includes(name)) w.completeness = 'important';
    else if (DETAILS.includes(name)) w.completeness = 'details';
  }
  if (warning && opts.integrations !== false) w.integrations = { 'crona-lon': { warning } };
  return w;
}

/** LocalDateField: no integrations. @param {HumaUser} u @param {string} name @param {string | null} value */
function dateField(u, name, value) {
  return field(u, name, value, { integrations: false });
}

/** @param {World} world @param {HumaUser} u @returns {HumaGroup[]} */
function groupsOf(world, u) {
  const out = [];
  for (const id of u.groupIds) {
    const g = world.huma.groupsById.get(id);
    if (g) out.push(g);
  }
  return out;
}

/** Group as embedded in users and lists (members left out). @param {HumaGroup} g */
export function groupShape(g) {
  /** @type {Record<string, unknown>} */
  const out = { id: g.id, name: g.name, type: g.type };
  if (g.organizationNumber) {
    out.organizationNumber = g.organizationNumber;
    out.invalidOrganizationNumber = false;
  }
  if (g.address) out.address = g.address;
  return out;
}

/** @param {World} world @param {string | null} titleId */
function jobTitle(world, titleId) {
  const t = titleId ? world.huma.jobTitlesById.get(titleId) : undefined;
  return t ? { id: t.id, name: t.name } : null;
}

/** The titles of the user's current positions (B's `jobTitles`). @param {World} world @param {HumaUser} u */
function currentTitles(world, u) {
  const positions = world.huma.positions.get(u.id) ?? [];
  /** @type {{ id: string, name: string }[]} */
  const out = [];
  for (const p of positions) {
    if (positionStatus(p, world.today) !== 'CURRENT') continue;
    const t = jobTitle(world, p.titleId);
    if (t && !out.some((x) => x.id === t.id)) out.push(t);
  }
  return out;
}

/** @param {World} world @param {HumaUser} u */
function primaryTitle(world, u) {
  const p = primaryPosition(world.huma.positions.get(u.id) ?? [], world.today);
  return p ? jobTitle(world, p.titleId) : null;
}

/** `User`, the GET /users list item: plain values. Required strings that are empty are served as "". @param {World} world @param {HumaUser} u */
export function userShape(world, u) {
  const groups = groupsOf(world, u);
  /** @type {Record<string, unknown>} */
  const out = { id: u.id, givenName: u.givenName ?? '', familyName: u.familyName ?? '' };
  if (u.preferredName) out.preferredName = u.preferredName;
  out.email = u.email;
  if (u.phone) out.phone = u.phone;
  const title = primaryTitle(world, u);
  if (title) out.jobTitle = title;
  out.jobTitles = currentTitles(world, u);
  out.teams = groups.filter((g) => g.type === 'team').map(groupShape);
  out.locations = groups.filter((g) => g.type === 'location').map(groupShape);
  out.companies = groups.filter((g) => g.type === 'company').map(groupShape);
  out.groups = groups.map(groupShape);
  out.type = u.type;
  out.status = { active: u.active };
  return out;
}

/** `SimpleUser` (supervisor, deactivatedBy). @param {World} world @param {HumaUser} u */
export function simpleUserShape(world, u) {
  /** @type {Record<string, unknown>} */
  const out = { id: u.id, givenName: u.givenName ?? '', familyName: u.familyName ?? '', email: u.email };
  if (u.phone) out.phone = u.phone;
  out.jobTitles = currentTitles(world, u);
  out.type = u.type;
  out.status = { active: u.active };
  return out;
}

/** How many users have this one as supervisor; counted once per change of the data. @param {World} world @param {string} id */
function subordinatesCount(world, id) {
  const cache = world.huma.cache;
  if (!cache.subordinates) {
    const counts = new Map();
    for (const u of world.huma.users) if (u.supervisorId) counts.set(u.supervisorId, (counts.get(u.supervisorId) ?? 0) + 1);
    cache.subordinates = counts;
  }
  return cache.subordinates.get(id) ?? 0;
}

/** `UserDetails`, GET /users/{id}: per-field wrappers (huma-api.md §3.2). @param {World} world @param {HumaUser} u */
export function userDetailsShape(world, u) {
  const positions = world.huma.positions.get(u.id) ?? [];
  const primary = primaryPosition(positions, world.today);
  const groups = groupsOf(world, u);
  const supervisor = u.supervisorId ? world.huma.usersById.get(u.supervisorId) : undefined;
  const title = primary ? jobTitle(world, primary.titleId) : null;
  const start = earliestStart(positions);
  /** @type {Record<string, unknown>} */
  const email = { value: u.email, editable: !u.locked.email };
  if (u.requestedEmail) email.requestedValue = u.requestedEmail;
  /** @type {Record<string, unknown>} */
  const status = { active: u.active };
  if (!u.active && u.deactivatedAt) status.deactivatedAt = u.deactivatedAt;
  /** @type {Record<string, unknown>} */
  const out = {
    id: u.id,
    type: u.type,
    subordinatesCount: subordinatesCount(world, u.id),
    givenName: field(u, 'givenName', u.givenName),
    familyName: field(u, 'familyName', u.familyName),
    preferredName: field(u, 'preferredName', u.preferredName),
    email,
    privateEmail: field(u, 'privateEmail', u.privateEmail),
    phone: field(u, 'phone', u.phone),
    birthDate: { ...(u.birthDate ? { value: u.birthDate } : u.emptyAsNull ? { value: null } : {}), editable: true, showBirthday: false, completeness: 'important' },
    homeAddress: field(u, 'homeAddress', addressValue(u.homeAddress)),
    bankAccount: field(u, 'bankAccount', bankValue(u.bankAccount)),
    employmentId: field(u, 'employmentId', u.employmentId, { completeness: false }),
    identifications: field(u, 'identifications', u.personnummer ? [{ id: u.personnummer.id, type: 'national', value: u.personnummer.value, country: 'SE' }] : []),
    gender: field(u, 'gender', u.gender),
    nationality: field(u, 'nationality', u.nationality),
    civilStatus: field(u, 'civilStatus', null),
    jobTitle: field(u, 'jobTitle', title),
    jobTitles: currentTitles(world, u),
    employmentType: field(u, 'employmentType', primary?.contractType ?? null),
    employmentStartDate: dateField(u, 'employmentStartDate', start),
    employmentEndDate: dateField(u, 'employmentEndDate', employmentEnd(positions)),
    firstDayOfWork: dateField(u, 'firstDayOfWork', primary?.firstDayOfWork ?? null),
    lastDayOfWork: dateField(u, 'lastDayOfWork', primary?.lastDayOfWork ?? null),
    probationEndDate: dateField(u, 'probationEndDate', primary?.probationEndDate ?? null),
    terminationNoticeDate: dateField(u, 'terminationNoticeDate', primary?.terminationNoticeDate ?? null),
    employmentPercentage: field(u, 'employmentPercentage', primary?.percentage ?? null),
    firstContractStartDate: { ...(start ? { value: start } : {}), editable: false },
    currentPositions: positions.filter((p) => positionStatus(p, world.today) === 'CURRENT').map((p) => positionSummaryShape(world, p)),
    seniorityInCompany: start && start <= world.today ? monthsBetween(start, world.today) : 0,
    teams: field(u, 'teams', groups.filter((g) => g.type === 'team').map(groupShape)),
    locations: field(u, 'locations', groups.filter((g) => g.type === 'location').map(groupShape)),
    companies: { value: groups.filter((g) => g.type === 'company').map(groupShape), editable: false },
    groups: field(u, 'groups', groups.map(groupShape)),
    supervisor: field(u, 'supervisor', supervisor ? simpleUserShape(world, supervisor) : null),
    status,
    connectedIntegrations: {},
  };
  if (u.invitedAt) out.invitedAt = u.invitedAt;
  if (u.lastLoggedInAt) out.lastLoggedInAt = u.lastLoggedInAt;
  out.completeness = completeness(out);
  out.custom = {};
  return out;
}

/** @param {Record<string, unknown>} details */
function completeness(details) {
  /** @param {string[]} names */
  const count = (names) => {
    let filled = 0;
    for (const n of names) {
      const w = /** @type {{ value?: unknown } | undefined} */ (details[n]);
      if (w && w.value !== undefined && w.value !== null) filled++;
    }
    return { filled, available: names.length };
  };
  return { important: count(IMPORTANT), details: count(DETAILS) };
}

/** `PositionSummary`: plain values. @param {World} world @param {HumaPosition} p */
export function positionSummaryShape(world, p) {
  /** @type {Record<string, unknown>} */
  const out = { id: p.id };
  const title = p.titleId ? world.huma.jobTitlesById.get(p.titleId) : undefined;
  if (title) out.title = { ...title };
  if (p.description) out.description = p.description;
  if (p.contractStartDate) out.contractStartDate = p.contractStartDate;
  if (p.contractEndDate) out.contractEndDate = p.contractEndDate;
  if (p.contractStartDate) {
    const until = p.contractEndDate && p.contractEndDate < world.today ? p.contractEndDate : world.today;
    out.periodInMonths = monthsBetween(p.contractStartDate, until);
  }
  if (p.percentage !== null) out.percentage = p.percentage;
  out.contractType = p.contractType;
  out.status = positionStatus(p, world.today);
  return out;
}

/** `Position`: wrapped fields (huma-api.md §4). @param {World} world @param {HumaPosition} p */
export function positionShape(world, p) {
  /** @param {unknown} v */
  const w = (v) => (v === null || v === undefined || v === '' ? { editable: true } : { value: v, editable: true });
  const title = p.titleId ? world.huma.jobTitlesById.get(p.titleId) : undefined;
  return {
    id: p.id,
    status: positionStatus(p, world.today),
    contractStartDate: w(p.contractStartDate),
    contractEndDate: w(p.contractEndDate),
    firstDayOfWork: w(p.firstDayOfWork),
    lastDayOfWork: w(p.lastDayOfWork),
    terminationNoticeDate: w(p.terminationNoticeDate),
    probationEndDate: w(p.probationEndDate),
    contractCountry: w(p.contractCountry),
    description: w(p.description),
    endNote: w(p.endNote),
    note: w(p.note),
    contractType: w(p.contractType),
    percentage: w(p.percentage),
    title: w(title ? { ...title } : null),
    endReason: w(p.endReason),
    wantedEnd: w(p.wantedEnd),
  };
}
