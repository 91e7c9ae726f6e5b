// Request-body validation for Huma's inputs (spec B): types, maxLengths, enums, required lists, as data.
// Properties the schema doesn't have are refused, and spec A's employment fields with a pointer to positions.

import { isDate } from '../dates.js';
import { isObject } from '../http.js';
import { badRequest } from './errors.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */

/**
 * @typedef {{ type: 'string', max?: number, min?: number } | { type: 'date' } | { type: 'boolean' } | { type: 'object' }
 *   | { type: 'int', min: number, max: number } | { type: 'enum', values: readonly string[] } | { type: 'uuid' }
 *   | { type: 'uuidArray', max?: number } | { type: 'array', max: number } | { type: 'address' } | { type: 'bank' }} Rule
 */

/** @typedef {{ props: Record<string, Rule>, required?: readonly string[], specAOnly?: readonly string[], name: string }} Schema */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT32 = { min: -2147483648, max: 2147483647 };
/** @param {number} max @returns {Rule} */
const str = (max) => ({ type: 'string', max });
/** @type {Rule} */
const date = { type: 'date' };

export const CONTRACT_TYPES = ['Permanent', 'Temporary', 'Seasonal', 'Casual', 'Trainee', 'JobTrainingProgram', 'Consultant', 'Freelance', 'ThirdParty', 'Other'];
export const END_REASONS = ['change_in_organization_or_internal_job_transfer', 'employee_resigned', 'employee_terminated', 'temporary_contract_or_position_ended', 'change_in_payroll_system_or_accountant', 'other'];

/** huma-api.md §3.3. */
/** @type {Schema} */
export const USER_DETAILS_INPUT = {
  name: 'UserDetailsInput',
  props: {
    givenName: str(255), familyName: str(255), preferredName: str(255), email: str(255), phone: str(255),
    privateEmail: str(255), employmentId: str(255), homeAddress: { type: 'address' }, bankAccount: { type: 'bank' },
    nationality: str(2), birthDate: date, civilStatus: { type: 'enum', values: ['Married', 'Relationship', 'Single'] },
    gender: str(255), dietaryRequirements: str(2040), funfacts: str(2040), interests: { type: 'array', max: 50 },
    supervisor: { type: 'uuid' }, excludeFromInsights: { type: 'boolean' }, excludeFromSurveys: { type: 'boolean' },
    custom: { type: 'object' }, relevantExperienceInMonths: { type: 'int', ...INT32 }, relevantExperienceInYears: { type: 'int', ...INT32 },
    seniorityNote: str(10200),
  },
  specAOnly: ['jobTitle', 'jobDescription', 'employmentType', 'terminationNoticeDate', 'probationEndDate', 'employmentStartDate',
    'firstDayOfWork', 'employmentEndDate', 'lastDayOfWork', 'employmentPercentage'],
};

/** huma-api.md §3.4. */
/** @type {Schema} */
export const USER_INPUT = {
  name: 'UserInput',
  props: {
    givenName: str(255), familyName: str(255), email: { type: 'string' }, groups: { type: 'uuidArray' }, preferredName: str(255),
    phone: { type: 'string' }, supervisor: { type: 'uuid' }, invite: { type: 'boolean' }, inviteSubject: { type: 'string' },
    inviteMessage: { type: 'string' }, inviteLanguage: { type: 'string', min: 2, max: 2 },
  },
  required: ['givenName', 'familyName', 'email', 'groups'],
  specAOnly: ['employmentStartDate', 'firstDayOfWork'],
};

/** huma-api.md §4: PositionUpdateInput; PositionCreateInput adds the required list. */
/** @type {Schema} */
export const POSITION_UPDATE_INPUT = {
  name: 'PositionUpdateInput',
  props: {
    contractStartDate: date, contractEndDate: date, firstDayOfWork: date, lastDayOfWork: date, probationEndDate: date,
    terminationNoticeDate: date, contractType: { type: 'enum', values: CONTRACT_TYPES }, titleId: { type: 'uuid' },
    contractCountry: str(2), percentage: { type: 'int', min: 0, max: 100 }, description: str(10200), note: str(255),
    endNote: str(255), endReason: { type: 'enum', values: END_REASONS }, wantedEnd: { type: 'boolean' },
  },
};

/** @type {Schema} */
export const POSITION_CREATE_INPUT = { ...POSITION_UPDATE_INPUT, name: 'PositionCreateInput', required: ['contractStartDate', 'contractType', 'titleId'] };

/**
 * Checks a parsed JSON body against a schema. `null` passes for optional properties (it clears the value).
 * @param {unknown} body @param {Schema} schema
 * @returns {{ ok: true, value: Record<string, unknown> } | { ok: false, error: ApiResponse }}
 */
export function validateBody(body, schema) {
  if (!isObject(body)) return { ok: false, error: badRequest('request:malformed-json', `The body must be a JSON object (${schema.name})`) };
  const specA = Object.keys(body).filter((k) => schema.specAOnly?.includes(k));
  if (specA.length) {
    return { ok: false, error: badRequest('field:unknown', `${specA.join(', ')} can't be written through ${schema.name} in this API version; write employment data through /users/{userId}/positions`, specA) };
  }
  const unknown = Object.keys(body).filter((k) => !(k in schema.props));
  if (unknown.length) return { ok: false, error: badRequest('field:unknown', `Unknown properties for ${schema.name}: ${unknown.join(', ')}`, unknown) };
  /** @type {string[]} */
  const bad = [];
  /** @type {string[]} */
  const why = [];
  for (const name of schema.required ?? []) {
    if (body[name] === undefined || body[name] === null) {
      bad.push(name);
      why.push(`${name} is required`);
    }
  }
  for (const [name, value] of Object.entries(body)) {
    if (value === null || bad.includes(name)) continue;
    const problem = check(/** @type {Rule} */ (schema.props[name]), value, name);
    if (problem) {
      bad.push(...problem.fields);
      why.push(problem.message);
    }
  }
  if (bad.length) return { ok: false, error: badRequest('field:invalid-format', why.join('; '), [...new Set(bad)]) };
  return { ok: true, value: body };
}

/**
 * @param {Rule} rule @param {unknown} v @param {string} name
 * @returns {{ fields: string[], message: string } | null}
 */
function check(rule, v, name) {
  /** @param {string} message */
  const fail = (message) => ({ fields: [name], message: `${name} ${message}` });
  switch (rule.type) {
    case 'string':
      if (typeof v !== 'string') return fail('must be a string');
      if (rule.max !== undefined && v.length > rule.max) return fail(`must be at most ${rule.max} characters`);
      if (rule.min !== undefined && v.length < rule.min) return fail(`must be at least ${rule.min} characters`);
      return null;
    case 'date':
      return isDate(v) ? null : fail('must be a date (YYYY-MM-DD)');
    case 'boolean':
      return typeof v === 'boolean' ? null : fail('must be a boolean');
    case 'object':
      return isObject(v) ? null : fail('must be an object');
    case 'int':
      return Number.isInteger(v) && /** @type {number} */ (v) >= rule.min && /** @type {number} */ (v) <= rule.max ? null : fail(`must be an integer in ${rule.min}..${rule.max}`);
    case 'enum':
      return typeof v === 'string' && rule.values.includes(v) ? null : fail(`must be one of ${rule.values.join(', ')}`);
    case 'uuid':
      return typeof v === 'string' && UUID.test(v) ? null : fail('must be a UUID');
    case 'uuidArray':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && UUID.test(x))) return fail('must be an array of UUIDs');
      return new Set(v).size === v.length ? null : fail('must not repeat items');
    case 'array':
      if (!Array.isArray(v)) return fail('must be an array');
      return v.length <= rule.max ? null : fail(`must have at most ${rule.max} items`);
    case 'address':
      return checkAddress(v, name);
    case 'bank':
      return checkBank(v, name);
  }
}

/** AddressUpdateInput: all six properties required (huma-api.md §3.3). @param {unknown} v @param {string} name */
function checkAddress(v, name) {
  if (!isObject(v)) return { fields: [name], message: `${name} must be an object` };
  /** @type {Record<string, number>} */
  const props = { line1: 255, line2: 255, line3: 255, postalCode: 255, city: 255, country: 2 };
  return checkNested(v, name, props, Object.keys(props));
}

/** NationalBankAccountInput {type, number, country} | InternationalBankAccountInput {type, iban, bic}. @param {unknown} v @param {string} name */
function checkBank(v, name) {
  if (!isObject(v)) return { fields: [name], message: `${name} must be an object` };
  if (v.type === 'national') return checkNested(v, name, { type: 255, number: 255, country: 2 }, ['type', 'number', 'country']);
  if (v.type === 'international') return checkNested(v, name, { type: 255, iban: 255, bic: 255 }, ['type', 'iban', 'bic']);
  return { fields: [`${name}.type`], message: `${name}.type must be "national" or "international"` };
}

/**
 * @param {Record<string, unknown>} v @param {string} name @param {Record<string, number>} maxLengths @param {string[]} required
 * @returns {{ fields: string[], message: string } | null}
 */
function checkNested(v, name, maxLengths, required) {
  const fields = [];
  const why = [];
  for (const k of Object.keys(v)) {
    if (!(k in maxLengths)) {
      fields.push(`${name}.${k}`);
      why.push(`${name}.${k} is not a property`);
    }
  }
  for (const k of required) {
    const x = v[k];
    const max = maxLengths[k] ?? 255;
    if (x === undefined || x === null) {
      fields.push(`${name}.${k}`);
      why.push(`${name}.${k} is required`);
    } else if (typeof x !== 'string' || x.length > max) {
      fields.push(`${name}.${k}`);
      why.push(`${name}.${k} must be a string of at most ${max} characters`);
    }
  }
  return fields.length ? { fields, message: why.join('; ') } : null;
}

/** A plausible e-mail address (Huma refuses obvious garbage). @param {string} s */
export function looksLikeEmail(s) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}
