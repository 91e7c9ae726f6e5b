// Fault injection: rules that make API calls fail, hang up, slow down or get throttled, so the product's retry
// and error handling can be tested against a real socket.

import { Rng } from './random.js';

/**
 * A rule as POST /_sandbox/faults takes it.
 * @typedef {Object} FaultRuleInput
 * @property {'huma' | 'crona' | 'any'} system
 * @property {string} [method]       e.g. "PATCH"; any when absent
 * @property {string} [path]         regular expression source, tested against the path without /huma or /crona
 * @property {'status' | 'drop' | 'latency' | 'throttle'} kind
 * @property {number} [status]       kind status: the HTTP status to answer
 * @property {string | number} [retryAfter]  a Retry-After header for status faults
 * @property {number} [latencyMs]    kind latency: the delay before the request is handled
 * @property {number} [probability]  0..1, default 1: drawn from a PRNG seeded with `seed`
 * @property {number} [seed]         default 1
 * @property {number} [count]        the rule only considers the next N matching requests
 * @property {number} [perSecond]    kind throttle: token-bucket rate (burst = one second's worth, at least 1)
 */

/**
 * A stored rule with its counters.
 * @typedef {FaultRuleInput & { id: number, matched: number, hits: number }} FaultRuleState
 */

/**
 * What the rules decided for one request.
 * @typedef {Object} FaultDecision
 * @property {number} latencyMs
 * @property {{ kind: 'status', status: number, retryAfter?: string } | { kind: 'drop' } | { kind: 'throttle', retryAfter: string } | null} action
 * @property {string[]} labels  for the request log
 */

const KINDS = ['status', 'drop', 'latency', 'throttle'];
const SYSTEMS = ['huma', 'crona', 'any'];

export class FaultError extends Error {}

export class Faults {
  constructor() {
    /** @type {{ state: FaultRuleState, re: RegExp | null, rng: Rng, bucket: { tokens: number, at: number } }[]} */
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
   * Runs the rules, in order, for one request. Latency rules add up; the first status, drop or throttle that
   * fires decides the answer.
   * @param {'huma' | 'crona'} system @param {string} method @param {string} path @param {number} now  ms
   * @returns {FaultDecision}
   */
  decide(system, method, path, now) {
    /** @type {FaultDecision} */
    const out = { latencyMs: 0, action: null, labels: [] };
    for (const { state, re, rng, bucket } of this.rules) {
      if (out.action) break;
      if (state.system !== 'any' && state.system !== system) continue;
      if (state.method && state.method.toUpperCase() !== method) continue;
      if (re && !re.test(path)) continue;
      if (state.count !== undefined && state.matched >= state.count) continue;
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
      if (state.probability !== undefined && state.probability < 1 && !(rng.next() < state.probability)) continue;
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
  const known = ['system', 'method', 'path', 'kind', 'status', 'retryAfter', 'latencyMs', 'probability', 'seed', 'count', 'perSecond'];
  for (const k of Object.keys(rule)) if (!known.includes(k)) throw fail(`unknown property "${k}"`);
  const system = rule.system ?? 'any';
  if (typeof system !== 'string' || !SYSTEMS.includes(system)) throw fail('system must be huma, crona or any');
  if (typeof rule.kind !== 'string' || !KINDS.includes(rule.kind)) throw fail('kind must be status, drop, latency or throttle');
  if (rule.method !== undefined && typeof rule.method !== 'string') throw fail('method must be a string');
  if (rule.path !== undefined) {
    if (typeof rule.path !== 'string') throw fail('path must be a regular expression source');
    try {
      new RegExp(rule.path);
    } catch {
      throw fail('path is not a valid regular expression');
    }
  }
  /** @param {string} k @param {number} min @param {number} max @param {boolean} int */
  const num = (k, min, max, int) => {
    const v = rule[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) throw fail(`${k} must be a number in ${min}..${max}`);
  };
  num('status', 100, 599, true);
  num('latencyMs', 0, 600000, true);
  num('probability', 0, 1, false);
  num('seed', -(2 ** 53), 2 ** 53, true);
  num('count', 0, 2 ** 31, true);
  num('perSecond', 0.001, 1e6, false);
  if (rule.retryAfter !== undefined && typeof rule.retryAfter !== 'string' && typeof rule.retryAfter !== 'number') throw fail('retryAfter must be a string or a number');
  if (rule.kind === 'status' && rule.status === undefined) throw fail('a status fault needs status');
  if (rule.kind === 'latency' && rule.latencyMs === undefined) throw fail('a latency fault needs latencyMs');
  if (rule.kind === 'throttle' && rule.perSecond === undefined) throw fail('a throttle fault needs perSecond');
  return /** @type {FaultRuleInput} */ ({ ...rule, system });
}
