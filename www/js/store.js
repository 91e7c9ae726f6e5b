// What the page keeps. Non-secret settings, the sync state and the recent runs go to
// localStorage; secrets stay in this module's memory for the tab's life and are asked again after
// a reload. Nothing secret is ever written to storage, a URL or a log.

const KEY = 'crona-sync:connections';
const RUNS_KEPT = 20;

/**
 * @typedef {object} Connection  non-secret settings only
 * @property {string} id
 * @property {string} name
 * @property {string} humaUrl
 * @property {string} humaClientId
 * @property {string} cronaUrl
 * @property {{ type: 'company' | 'location' | 'team', id: string, name: string } | null} group
 * @property {{ companyId: string, companyName: string } | null} crona  what saving connected to
 * @property {string | null} humaOrganizationId
 * @property {boolean} authority  "I have the authority" was confirmed
 */

/**
 * @typedef {object} Secrets
 * @property {string} humaClientSecret
 * @property {string} cronaActivationCode
 */

/**
 * @typedef {object} RunRecord  one run in the connection's history
 * @property {string} at
 * @property {'sync' | 'push'} kind
 * @property {string} outcome  the summary in words, or what went wrong
 * @property {boolean} ok
 * @property {import('../../pkg/index.js').Report['errors']} errors
 */

/** @type {Map<string, Secrets>} */
const secrets = new Map();

/** @returns {Connection[]} */
export function connections() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** @param {string} id */
export function connection(id) {
  return connections().find((c) => c.id === id) ?? null;
}

/** Adds or replaces one. @param {Connection} c */
export function saveConnection(c) {
  const list = connections().filter((x) => x.id !== c.id);
  list.push(c);
  localStorage.setItem(KEY, JSON.stringify(list));
}

/**
 * Records which Crona company and Huma organisation the credentials reached.
 * @param {Connection} c @param {{ companyId: string, companyName: string }} company @param {{ humaOrganizationId?: string }} identity
 */
export function rememberCompany(c, company, identity) {
  const current = connection(c.id);
  if (current) saveConnection({ ...current, crona: { companyId: company.companyId, companyName: company.companyName }, humaOrganizationId: identity.humaOrganizationId ?? current.humaOrganizationId });
}

/** Removes a connection with its state, history and secrets. @param {string} id */
export function removeConnection(id) {
  localStorage.setItem(KEY, JSON.stringify(connections().filter((c) => c.id !== id)));
  localStorage.removeItem(`crona-sync:state:${id}`);
  localStorage.removeItem(`crona-sync:runs:${id}`);
  secrets.delete(id);
}

/** @param {string} id @returns {Secrets | null} */
export function secretsOf(id) {
  return secrets.get(id) ?? null;
}

/** @param {string} id @param {Secrets} s */
export function keepSecrets(id, s) {
  secrets.set(id, s);
}

/** @param {string} id @returns {import('../../pkg/index.js').SyncState | null} */
export function stateOf(id) {
  try {
    return JSON.parse(localStorage.getItem(`crona-sync:state:${id}`) ?? 'null');
  } catch {
    return null;
  }
}

/** @param {string} id @param {object} state */
export function saveState(id, state) {
  localStorage.setItem(`crona-sync:state:${id}`, JSON.stringify(state));
}

/** @param {string} id @returns {RunRecord[]} newest first */
export function runsOf(id) {
  try {
    const runs = JSON.parse(localStorage.getItem(`crona-sync:runs:${id}`) ?? '[]');
    return Array.isArray(runs) ? runs : [];
  } catch {
    return [];
  }
}

/** @param {string} id @param {RunRecord} run */
export function recordRun(id, run) {
  const runs = [run, ...runsOf(id)].slice(0, RUNS_KEPT);
  try {
    localStorage.setItem(`crona-sync:runs:${id}`, JSON.stringify(runs));
  } catch {
    // Storage full: keep the latest run only rather than nothing, and never fail the run over it.
    try {
      localStorage.setItem(`crona-sync:runs:${id}`, JSON.stringify([{ ...run, errors: run.errors.slice(0, 50) }]));
    } catch {
      // Nothing more to do: the result is on screen and can be downloaded.
    }
  }
}

/** A new id for a connection. */
export function newId() {
  return crypto.randomUUID();
}
