// The sandbox's mutable state: the generated world plus everything the control routes change.

import { generateWorld } from './data/generator.js';
import { TokenStore } from './huma/auth.js';
import { RequestLog } from './log.js';
import { Faults } from './faults.js';
import { Pause } from './pause.js';
import { Webhooks } from './webhooks/queue.js';

/** @typedef {import('./types.js').Settings} Settings */

/**
 * What the world is generated from.
 * @typedef {{ seed: number, people: number, today: string, drift: number }} DataOptions
 */

/** @returns {Settings} */
export function defaultSettings() {
  return { tokenTtlSeconds: 3600, emailChange: 'immediate', latencyMs: 0 };
}

/**
 * @typedef {Object} State
 * @property {import('./types.js').World} world
 * @property {DataOptions} data  what the world was generated from
 * @property {Settings} settings
 * @property {TokenStore} tokens
 * @property {RequestLog} log
 * @property {Faults} faults
 * @property {Pause} pause  a test's pause: requests past a count wait until it is lifted
 * @property {Webhooks} webhooks  the receiver of Huma's profile webhooks and the deliveries to it
 * @property {boolean} quiet
 */

/** @param {DataOptions} data @param {boolean} quiet @returns {State} */
export function createState(data, quiet) {
  /** @type {State} */
  const state = {
    world: generateWorld(data), data, settings: defaultSettings(), tokens: new TokenStore(), log: new RequestLog(), faults: new Faults(), pause: new Pause(),
    webhooks: new Webhooks(() => state.log.nextSeq(), quiet ? null : (line) => console.error(line)), quiet,
  };
  return state;
}

/**
 * Regenerates the data and forgets tokens, logs, faults, the pause (its waiting requests go on), settings and the webhook receiver. Sequence numbers keep counting, so a
 * `since` taken before the reset never hides later entries.
 * @param {State} state @param {DataOptions} data
 */
export function resetState(state, data) {
  state.world = generateWorld(data);
  state.data = data;
  state.settings = defaultSettings();
  state.tokens.revokeAll();
  const seq = state.log.seq;
  state.log = new RequestLog();
  state.log.seq = seq;
  state.faults = new Faults();
  state.pause.lift();
  state.webhooks.reset();
}
