// A policy file: the decisions a scheduled sync takes without asking.
//   { "fields": { "bankAccount": "crona", "*": "huma" }, "createInCrona": "all", "createInHuma": "none",
//     "choices": { "<difference id from preview --json>": "huma" } }
import { CronaSyncError } from '../errors.js';
import { fields as fieldTable } from '../core.js';
const CHOICES = ['huma', 'crona', 'leave'];

/**
 * @param {unknown} raw
 * @returns {import('../../index.js').Decisions}
 */
export function policyToDecisions(raw) {
  const FIELDS = fieldTable().filter((f) => f.kind === 'mapped').map((f) => f.key);
  const bad = (/** @type {string} */ why) => new CronaSyncError('usage', `The policy file ${why}.`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('must be a JSON object');
  const p = /** @type {Record<string, any>} */ (raw);
  for (const key of Object.keys(p)) {
    if (!['fields', 'choices', 'createInCrona', 'createInHuma', 'useSuggestions'].includes(key)) throw bad(`has an unknown setting "${key}"`);
  }
  /** @type {Partial<Record<import('../../index.js').Field, import('../../index.js').Choice>>} */
  const fieldDefaults = {};
  const fields = p.fields ?? {};
  for (const [field, choice] of Object.entries(fields)) {
    if (field !== '*' && !FIELDS.includes(field)) throw bad(`names an unknown field "${field}" (fields: ${FIELDS.join(', ')}, or "*")`);
    if (!CHOICES.includes(String(choice))) throw bad(`gives "${choice}" for ${field}; use huma, crona or leave`);
  }
  for (const field of FIELDS) {
    const choice = fields[field] ?? fields['*'];
    if (choice) fieldDefaults[/** @type {import('../../index.js').Field} */ (field)] = choice;
  }
  const selection = (/** @type {unknown} */ v, /** @type {string} */ name) => {
    if (v === undefined || v === 'none') return [];
    if (v === 'all' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) return /** @type {'all' | string[]} */ (v);
    throw bad(`gives ${JSON.stringify(v)} for ${name}; use "all", "none" or a list of ids`);
  };
  /** @type {Record<string, import('../../index.js').Choice>} */
  const choices = {};
  for (const [id, choice] of Object.entries(p.choices ?? {})) {
    if (!CHOICES.includes(String(choice))) throw bad(`gives "${choice}" for difference ${id}; use huma, crona or leave`);
    choices[id] = /** @type {import('../../index.js').Choice} */ (choice);
  }
  return {
    choices,
    fieldDefaults,
    useSuggestions: p.useSuggestions ?? true,
    createInCrona: selection(p.createInCrona, 'createInCrona'),
    createInHuma: selection(p.createInHuma, 'createInHuma'),
  };
}
