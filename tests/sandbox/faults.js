// Fault injection: rules that make API calls fail, hang up, slow down or get throttled, or make a paged listing
// misbehave, so the product's retry, error handling and listing checks can be tested against a real socket.

import { Rng } from './random.js';
import { MUTATIONS, DEFAULT_CAP, listingEndpoint, isPage, mutatePage } from './listing.js';

/** @typedef {import('./types.js').ApiResponse} ApiResponse */
/** @typedef {import('./listing.js').ListingMutation} ListingMutation */

/**
 * A rule as POST /_sandbox/faults takes it.
 * @typedef {Object} FaultRuleInput
 * @property {'huma' | 'crona' | 'any'} system
 * @property {string} [method]       e.g. "PATCH"; any when absent
 * @property {string} [path]         regular expression source, tested against the path without /huma or /crona
 * @property {Record<string, string>} [query]  parameters the request's query must have, exactly these strings
 * @property {'status' | 'drop' | 'latency' | 'throttle' | 'listing'} kind
 * @property {number} [status]       kind status: the HTTP status to answer
 * @property {string | number} [retryAfter]  a Retry-After header for status faults
 * @property {number} [latencyMs]    kind latency: the delay before the request is handled
 * @property {number} [probability]  0..1, default 1: drawn from a PRNG seeded with `seed`
 * @property {number} [seed]         default 1
 * @property {number} [count]        the rule only considers the next N matching requests
 * @property {number} [perSecond]    kind throttle: token-bucket rate (burst = one second's worth, at least 1)
 * @property {ListingMutation} [mutate]  kind listing: what happens to the page
 * @property {number} [cap]          mutate cap: the page size the server caps at, default 10
 */

/**
 * A stored rule with its counters.
 * @typedef {FaultRuleInput & { id: number, matched: number, hits: number }} FaultRuleState
 */

/**
 * A stored rule: its state, compiled path, PRNG and throttle bucket.
 * @typedef {{ state: FaultRuleState, re: RegExp | null, rng: Rng, bucket: { tokens: number, at: number } }} StoredRule
 */

/**
 * What the rules decided for one request.
 * @typedef {Object} FaultDecision
 * @property {number} latencyMs
 * @property {{ kind: 'status', status: number, retryAfter?: string } | { kind: 'drop' } | { kind: 'throttle', retryAfter: string } | null} action
 * @property {string[]} labels  for the request log
 */

const KINDS = ['status', 'drop', 'latency', 'throttle', 'listing'];
const SYSTEMS = ['huma', 'crona', 'any'];

export class FaultError extends Error {}

export class Faults {
  constructor() {
    /** @type {StoredRule[]} */
    this.rules = [];
    this.nextId = 1;
  }

  /**
   * Validates and appends rules (all or none).
   * @param {unknown} rules @param {number} now  ms
   * @returns {FaultRuleState[]}
   */
  add(rules, now) {
    if (!Array.isArray(rules)) throw new FaultError('rules must be an array');
    const checked = rules.map((r, i) => checkRule(r, i));
    return checked.map((rule) => {
      const state = { ...rule, id: this.nextId++, matched: 0, hits: 0 };
      this.rules.push({
        state,
        re: rule.path === undefined ? null : new RegExp(rule.path),
        rng: new Rng('fault', rule.seed ?? 1),
        bucket: { tokens: Math.max(1, rule.perSecond ?? 0), at: now },
      });
      return state;
    });
  }

  /** @returns {(FaultRuleState & { remaining: number | null })[]} */
  list() {
    return this.rules.map(({ state }) => ({ ...state, remaining: state.count === undefined ? null : Math.max(0, state.count - state.matched) }));
  }

  clear() {
    this.rules = [];
  }

  /**
   * Runs the rules, in order, for one request before it is handled. Latency rules add up; the first status, drop
   * or throttle that fires decides the answer. Listing rules wait for the answer (listing()).
   * @param {'huma' | 'crona'} system @param {string} method @param {string} path @param {URLSearchParams} query
   * @param {number} now  ms
   * @returns {FaultDecision}
   */
  decide(system, method, path, query, now) {
    /** @type {FaultDecision} */
    const out = { latencyMs: 0, action: null, labels: [] };
    for (const rule of this.rules) {
      if (out.action) break;
      const { state, bucket } = rule;
      if (state.kind === 'listing' || !considers(rule, system, method, path, query)) continue;
      state.matched++;
      if (state.kind === 'throttle') {
        const rate = state.perSecond ?? 1;
        bucket.tokens = Math.min(Math.max(1, rate), bucket.tokens + ((now - bucket.at) / 1000) * rate);
        bucket.at = now;
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          continue;
        }
        state.hits++;
        const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
        out.action = { kind: 'throttle', retryAfter: String(wait) };
        out.labels.push('throttle');
        continue;
      }
      if (!drawn(rule)) continue;
      state.hits++;
      if (state.kind === 'latency') {
        out.latencyMs += state.latencyMs ?? 0;
        out.labels.push(`latency:${state.latencyMs ?? 0}`);
      } else if (state.kind === 'drop') {
        out.action = { kind: 'drop' };
        out.labels.push('drop');
      } else {
        const status = state.status ?? 500;
        out.action = state.retryAfter === undefined ? { kind: 'status', status } : { kind: 'status', status, retryAfter: String(state.retryAfter) };
        out.labels.push(`status:${status}`);
      }
    }
    return out;
  }

  /**
   * Runs the listing rules over the successful answer to a listing request (Huma GET /users and
   * /users/{id}/positions, Crona GET /api/v1/employees): only such answers count as matches, so `count: 1` is the
   * next page served, whatever failed before it. Caps go first, since they serve the page again at the smaller
   * size; the other mutations follow in rule order. A mutation that changes nothing (short on an empty page) is no
   * hit and leaves no label, so the log names only the pages that were changed.
   * @param {'huma' | 'crona'} system @param {string} method @param {string} path @param {URLSearchParams} query
   * @param {ApiResponse} response  the handler's answer
   * @param {import('./listing.js').Refetch} refetch  the same request with another query
   * @returns {{ response: ApiResponse, labels: string[] }}
   */
  listing(system, method, path, query, response, refetch) {
    const endpoint = listingEndpoint(system, method, path);
    if (!endpoint || response.status < 200 || response.status >= 300 || !isPage(response.body)) return { response, labels: [] };
    /** @type {FaultRuleState[]} */
    const fired = [];
    for (const rule of this.rules) {
      if (rule.state.kind !== 'listing' || !considers(rule, system, method, path, query)) continue;
      rule.state.matched++;
      if (drawn(rule)) fired.push(rule.state);
    }
    if (!fired.length) return { response, labels: [] };
    const ordered = [...fired.filter((s) => s.mutate === 'cap'), ...fired.filter((s) => s.mutate !== 'cap')];
    const ctx = { endpoint, query, refetch };
    let page = response.body;
    /** @type {string[]} */
    const labels = [];
    for (const state of ordered) {
      const mutation = /** @type {ListingMutation} */ (state.mutate);
      const next = mutatePage(ctx, page, mutation, state.cap ?? DEFAULT_CAP);
      if (JSON.stringify(next) === JSON.stringify(page)) continue;
      state.hits++;
      labels.push(`listing:${mutation}`);
      page = next;
    }
    return { response: labels.length ? { ...response, body: page } : response, labels };
  }
}

/**
 * Whether a rule looks at this request: system, method, path, query and what is left of its count.
 * @param {StoredRule} rule @param {'huma' | 'crona'} system @param {string} method @param {string} path
 * @param {URLSearchParams} query
 */
function considers({ state, re }, system, method, path, query) {
  if (state.system !== 'any' && state.system !== system) return false;
  if (state.method && state.method.toUpperCase() !== method) return false;
  if (re && !re.test(path)) return false;
  // a repeated parameter matches when any of its values does
  if (state.query && !Object.entries(state.query).every(([k, v]) => query.getAll(k).includes(v))) return false;
  return state.count === undefined || state.matched < state.count;
}

/** The rule's probability draw (no draw at 1, so a sure rule doesn't move the PRNG). @param {StoredRule} rule */
function drawn({ state, rng }) {
  return state.probability === undefined || state.probability >= 1 || rng.next() < state.probability;
}

/**
 * @param {unknown} r @param {number} i
 * @returns {FaultRuleInput}
 */
function checkRule(r, i) {
  /** @param {string} msg */
  const fail = (msg) => new FaultError(`rules[${i}]: ${msg}`);
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw fail('must be an object');
  const rule = /** @type {Record<string, unknown>} */ (r);
  const known = ['system', 'method', 'path', 'query', 'kind', 'status', 'retryAfter', 'latencyMs', 'probability', 'seed', 'count', 'perSecond', 'mutate', 'cap'];
  for (const k of Object.keys(rule)) if (!known.includes(k)) throw fail(`unknown property "${k}"`);
  const system = rule.system ?? 'any';
  if (typeof system !== 'string' || !SYSTEMS.includes(system)) throw fail('system must be huma, crona or any');
  if (typeof rule.kind !== 'string' || !KINDS.includes(rule.kind)) throw fail('kind must be status, drop, latency, throttle or listing');
  if (rule.method !== undefined && typeof rule.method !== 'string') throw fail('method must be a string');
  if (rule.path !== undefined) {
    if (typeof rule.path !== 'string') throw fail('path must be a regular expression source');
    try {
      new RegExp(rule.path);
    } catch {
      throw fail('path is not a valid regular expression');
    }
  }
  if (rule.query !== undefined) {
    const q = rule.query;
    if (typeof q !== 'object' || q === null || Array.isArray(q) || !Object.values(q).every((v) => typeof v === 'string')) {
      throw fail('query must be an object of strings, e.g. {"page": "2"}');
    }
  }
  /** @param {string} k @param {number} min @param {number} max @param {boolean} int */
  const num = (k, min, max, int) => {
    const v = rule[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) throw fail(`${k} must be ${int ? 'an integer' : 'a number'} in ${min}..${max}`);
  };
  num('status', 100, 599, true);
  num('latencyMs', 0, 600000, true);
  num('probability', 0, 1, false);
  num('seed', -(2 ** 53), 2 ** 53, true);
  num('count', 0, 2 ** 31, true);
  num('perSecond', 0.001, 1e6, false);
  num('cap', 1, 2 ** 31, true);
  if (rule.retryAfter !== undefined && typeof rule.retryAfter !== 'string' && typeof rule.retryAfter !== 'number') throw fail('retryAfter must be a string or a number');
  if (rule.kind === 'status' && rule.status === undefined) throw fail('a status fault needs status');
  if (rule.kind === 'latency' && rule.latencyMs === undefined) throw fail('a latency fault needs latencyMs');
  if (rule.kind === 'throttle' && rule.perSecond === undefined) throw fail('a throttle fault needs perSecond');
  if (rule.kind === 'listing' && rule.mutate === undefined) throw fail(`a listing fault needs mutate: ${MUTATIONS.join(', ')}`);
  if (rule.mutate !== undefined) {
    if (rule.kind !== 'listing') throw fail('mutate goes with kind listing');
    if (typeof rule.mutate !== 'string' || !(/** @type {readonly string[]} */ (MUTATIONS)).includes(rule.mutate)) throw fail(`mutate must be one of ${MUTATIONS.join(', ')}`);
  }
  if (rule.cap !== undefined && rule.mutate !== 'cap') throw fail('cap goes with mutate cap');
  return /** @type {FaultRuleInput} */ ({ ...rule, system });
}
