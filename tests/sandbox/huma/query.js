// Query-parameter parsing with Huma's limits; a bad value is a 400 naming the parameter.

import { UUID } from './validate.js';
import { invalidField } from './errors.js';

/** @typedef {import('../types.js').ApiResponse} ApiResponse */

/** Thrown by the readers below; the router turns it into its 400. */
export class QueryError extends Error {
  /** @param {ApiResponse} response */
  constructor(response) {
    super('bad query');
    this.response = response;
  }
}

/**
 * An integer parameter within [min, max] (max undefined = no upper limit).
 * @param {URLSearchParams} q @param {string} name @param {number} min @param {number | undefined} max @param {number | undefined} def
 * @returns {number | undefined}
 */
export function intParam(q, name, min, max, def) {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max) || n > 2147483647) {
    throw new QueryError(invalidField(name, `${name} must be an integer in ${min}..${max ?? 2147483647}, got '${raw}'`));
  }
  return n;
}

/** @param {URLSearchParams} q @param {string} name @returns {boolean | undefined} */
export function boolParam(q, name) {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new QueryError(invalidField(name, `${name} must be true or false, got '${raw}'`));
}

/** @param {URLSearchParams} q @param {string} name @param {readonly string[]} values @returns {string | undefined} */
export function enumParam(q, name, values) {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!values.includes(raw)) throw new QueryError(invalidField(name, `${name} must be one of ${values.join(', ')}, got '${raw}'`));
  return raw;
}

/**
 * An array parameter: repeated keys (OpenAPI's default) or comma-separated (Spring accepts both); 0–25 unique items.
 * @param {URLSearchParams} q @param {string} name
 * @param {{ me?: string, values?: readonly string[] }} [opts]  `me`: the id that replaces the alias "me"; `values`: an enum instead of UUIDs
 * @returns {string[] | undefined}
 */
export function arrayParam(q, name, opts = {}) {
  const raw = q.getAll(name);
  if (!raw.length) return undefined;
  const items = raw.flatMap((r) => r.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length > 25) throw new QueryError(invalidField(name, `${name} takes at most 25 items, got ${items.length}`));
  if (new Set(items).size !== items.length) throw new QueryError(invalidField(name, `${name} must not repeat items`));
  return items.map((it) => {
    if (opts.values) {
      if (!opts.values.includes(it)) throw new QueryError(invalidField(name, `${name} items must be one of ${opts.values.join(', ')}, got '${it}'`));
      return it;
    }
    if (it === 'me' && opts.me) return opts.me;
    if (!UUID.test(it)) throw new QueryError(invalidField(name, `${name} items must be UUIDs, got '${it}'`));
    return it.toLowerCase();
  });
}
