// A test's pause: the next `after` matching API requests are answered as usual, and later matching
// ones wait, unanswered, until the pause is lifted. A test can then look at a client in the middle
// of a fetch, at a point it chose by count rather than by time.

/**
 * A pause as POST /_sandbox/pause takes it.
 * @typedef {Object} PauseInput
 * @property {number} after          how many matching requests still go through
 * @property {'huma' | 'crona' | 'any'} [system]  default any
 * @property {string} [method]       e.g. "GET"; any when absent
 * @property {string} [path]         regular expression source, tested against the path without /huma or /crona
 */

/** @typedef {PauseInput & { passed: number, waiting: number }} PauseView */

export class PauseError extends Error {}

export class Pause {
  constructor() {
    /** @type {(PauseInput & { passed: number }) | null} */
    this.rule = null;
    /** @type {RegExp | null} */
    this.re = null;
    /** @type {(() => void)[]} */
    this.waiting = [];
  }

  /** Sets the pause, replacing (and lifting) any earlier one. @param {unknown} input @returns {PauseView} */
  set(input) {
    const rule = check(input);
    this.lift();
    this.rule = { ...rule, passed: 0 };
    this.re = rule.path === undefined ? null : new RegExp(rule.path);
    return /** @type {PauseView} */ (this.view());
  }

  /** What the pause is, how many went through and how many wait; null when there is none. @returns {PauseView | null} */
  view() {
    return this.rule && { ...this.rule, waiting: this.waiting.length };
  }

  /** Lets every waiting request through; later ones are not held. */
  lift() {
    const waiting = this.waiting;
    this.rule = null;
    this.re = null;
    this.waiting = [];
    for (const go of waiting) go();
  }

  /**
   * Resolves when this request may be handled: at once unless the pause holds it.
   * @param {'huma' | 'crona'} system @param {string} method @param {string} path
   * @returns {Promise<void> | null}  null: go on
   */
  gate(system, method, path) {
    const rule = this.rule;
    if (!rule) return null;
    if (rule.system && rule.system !== 'any' && rule.system !== system) return null;
    if (rule.method && rule.method.toUpperCase() !== method) return null;
    if (this.re && !this.re.test(path)) return null;
    if (rule.passed < rule.after) {
      rule.passed++;
      return null;
    }
    return new Promise((resolve) => this.waiting.push(() => resolve(undefined)));
  }
}

/** @param {unknown} input @returns {PauseInput} */
function check(input) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new PauseError('a pause must be an object');
  const o = /** @type {Record<string, unknown>} */ (input);
  for (const k of Object.keys(o)) if (!['after', 'system', 'method', 'path'].includes(k)) throw new PauseError(`unknown pause option "${k}"`);
  if (!Number.isInteger(o.after) || /** @type {number} */ (o.after) < 0) throw new PauseError('after must be a whole number of requests');
  if (o.system !== undefined && !['huma', 'crona', 'any'].includes(/** @type {string} */ (o.system))) throw new PauseError('system must be huma, crona or any');
  if (o.method !== undefined && typeof o.method !== 'string') throw new PauseError('method must be a string');
  if (o.path !== undefined) {
    if (typeof o.path !== 'string') throw new PauseError('path must be a regular expression source');
    try {
      new RegExp(o.path);
    } catch {
      throw new PauseError('path must be a regular expression source');
    }
  }
  return /** @type {PauseInput} */ (o);
}
