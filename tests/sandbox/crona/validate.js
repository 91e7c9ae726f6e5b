// Validation of Crona employee bodies (assumed contract): exactly the known field names, strings except Slutat
// (boolean), real YYYY-MM-DD dates, AnstNr 1–10 digits, FoNamn/EfNamn never empty.

import { isDate } from '../dates.js';
import { isObject } from '../http.js';
import { EMPLOYEE_FIELDS } from './employee.js';
import { cronaError } from './errors.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */

const DATES = ['AnstDatum', 'AvgDatum'];
const REQUIRED = ['AnstNr', 'FoNamn', 'EfNamn'];
const MAX_LENGTH = 255;

/**
 * @param {unknown} body
 * @param {'create' | 'update'} mode
 * @returns {{ ok: true, value: Record<string, unknown> } | { ok: false, error: ApiResponse }}
 */
export function validateEmployee(body, mode) {
  /** @param {string} field @param {string} message */
  const fail = (field, message) => ({ ok: /** @type {const} */ (false), error: cronaError(422, 'invalid_field', message, field) });
  if (!isObject(body)) return { ok: false, error: cronaError(400, 'invalid_body', 'The body must be a JSON object') };
  for (const [k, v] of Object.entries(body)) {
    if (!(/** @type {readonly string[]} */ (EMPLOYEE_FIELDS)).includes(k)) return fail(k, `Unknown field ${k}`);
    if (mode === 'update' && k === 'AnstNr') return fail(k, 'AnstNr can\'t be changed');
    if (v === null) continue;
    if (k === 'Slutat') {
      if (typeof v !== 'boolean') return fail(k, 'Slutat must be a boolean');
    } else if (typeof v !== 'string') {
      return fail(k, `${k} must be a string`);
    } else if (DATES.includes(k) && v !== '' && !isDate(v)) {
      return fail(k, `${k} must be a date YYYY-MM-DD`);
    } else if (v.length > MAX_LENGTH) {
      return fail(k, `${k} must be at most ${MAX_LENGTH} characters`);
    }
  }
  for (const k of REQUIRED) {
    const v = body[k];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (mode === 'create' && empty) return fail(k, `${k} is required`);
    if (mode === 'update' && k in body && empty) return fail(k, `${k} can't be emptied`);
  }
  if (mode === 'create' && !/^\d{1,10}$/.test(String(body.AnstNr))) return fail('AnstNr', 'AnstNr must be 1–10 digits');
  // "" is stored as null: Crona has one notion of empty
  /** @type {Record<string, unknown>} */
  const value = {};
  for (const [k, v] of Object.entries(body)) value[k] = v === '' ? null : v;
  return { ok: true, value };
}
