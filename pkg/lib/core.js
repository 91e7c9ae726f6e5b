// The wasm core's exports, wrapped so every error is a CronaSyncError. Shared by the Node entry
// (index.js, ready at import) and the browser entry (web.js, ready after `await init()`).
import { CronaSyncError, adoptError } from './errors.js';

/** @typedef {typeof import('../node/crona_sync.js')} WasmCore */

/** @type {WasmCore | null} */
let wasm = null;

/** @param {WasmCore} exports */
export function useCore(exports) {
  wasm = exports;
}

/** @returns {WasmCore} */
function core() {
  if (wasm) return wasm;
  throw new CronaSyncError(
    'not_initialized',
    'The crona-sync core is not loaded yet: `await init()` from "crona-sync/web" first.',
  );
}

/**
 * @template T
 * @param {(core: WasmCore) => T} call
 * @returns {T}
 */
function guarded(call) {
  try {
    return call(core());
  } catch (error) {
    throw adoptError(error);
  }
}

/** @returns {string} */
export function version() {
  return guarded((c) => c.version());
}

/** The field table, from the core: keys, labels, API properties. @returns {import('../index.js').FieldInfo[]} */
export function fields() {
  return guarded((c) => c.fields());
}

/** A field's label by its key (the key itself for one the table doesn't know). @param {string} key */
export function fieldLabel(key) {
  labels ??= new Map(fields().map((f) => [f.key, f.label]));
  return labels.get(key) ?? key;
}
/** @type {Map<string, string> | null} */
let labels = null;

/**
 * @param {import('../index.js').SessionConfig} config
 * @returns {import('../index.js').CheckedSessionConfig}
 */
export function checkConfig(config) {
  return guarded((c) => c.checkConfig(toJsonText(config)));
}

/**
 * Inputs cross into the core as JSON text (one copy, and unknown keys stay visible to it).
 * Non-finite numbers become strings so the core refuses them instead of reading `null`.
 * @param {unknown} value
 * @returns {string}
 */
export function toJsonText(value) {
  try {
    const text = JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    return text ?? 'undefined';
  } catch (error) {
    // BigInt values and cycles can't be written as JSON.
    throw new CronaSyncError('invalid_argument', `The value can't be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Validates a Swedish clearing number and account number. Never throws for bad input: the
 * result says `valid: false` with coded errors.
 * @param {unknown} clearing
 * @param {unknown} account
 * @param {{ lenient?: boolean }} [options]
 * @returns {import('../index.js').BankAccountResult}
 */
export function validateBankAccount(clearing, account, options = {}) {
  return guarded((c) => c.validateBankAccount(asText(clearing), asText(account), options?.lenient === true));
}

/**
 * Reads one string as typed into an HR field ("8327-9, 014 725 892-5", a Swedish IBAN…) as a
 * clearing + account and validates it. Never throws for bad input.
 * @param {unknown} text
 * @param {{ lenient?: boolean }} [options]
 * @returns {import('../index.js').ParsedBankAccount}
 */
export function parseBankAccount(text, options = {}) {
  return guarded((c) => c.parseBankAccount(asText(text), options?.lenient === true));
}

/**
 * What people hand in is not always a string: numbers (8327) become their digits, null and
 * undefined the empty string; anything else its text, which the core then refuses.
 * @param {unknown} value
 */
function asText(value) {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  try {
    return String(value);
  } catch {
    // Objects whose toString throws: not a bank account.
    return '\u0000';
  }
}

/** One synchronisation: poll() for requests, handle() the answers, then preview(). */
export class SyncSession {
  /** @type {InstanceType<WasmCore['SyncSession']>} */
  #inner;

  /** @param {import('../index.js').SessionConfig} config */
  constructor(config) {
    this.#inner = guarded((c) => new c.SyncSession(toJsonText(config)));
  }

  /** @returns {import('../index.js').SessionPhase} */
  get phase() {
    return /** @type {import('../index.js').SessionPhase} */ (guarded(() => this.#inner.phase));
  }

  /** @returns {import('../index.js').HttpRequest[]} */
  poll() {
    return guarded(() => this.#inner.poll());
  }

  /** @param {import('../index.js').HttpResponse[]} responses */
  handle(responses) {
    guarded(() => this.#inner.handle(responses));
  }

  /** @returns {import('../index.js').FetchProgress} */
  progress() {
    return guarded(() => this.#inner.progress());
  }

  /** @returns {import('../index.js').Preview} */
  preview() {
    return guarded(() => this.#inner.preview());
  }

  /**
   * The writes these decisions lead to: cheap and side-effect free, call it on every click.
   * @param {import('../index.js').Decisions} [decisions]
   * @returns {import('../index.js').Plan}
   */
  plan(decisions = {}) {
    return guarded(() => this.#inner.plan(toJsonText(decisions)));
  }

  /**
   * Runs the plan with this hash (made by this session's plan()); the writes then come out of
   * poll(), so run drive() again. Throws stale_plan or mass_change_refused.
   * @param {string} hash
   * @param {{ allowMassChange?: boolean }} [options]
   */
  apply(hash, options = {}) {
    guarded(() => this.#inner.apply(String(hash), options.allowMassChange === true));
  }

  /**
   * Stops the running plan safely: poll() gives no new write, the writes already handed out are
   * still answered through handle(), then everyone touched is read back and report() works as
   * after a whole run. drive()'s `stop` calls it. Throws protocol_error before apply().
   */
  stop() {
    guarded(() => this.#inner.stop());
  }

  /** @returns {import('../index.js').Report} */
  report() {
    return guarded(() => this.#inner.report());
  }

  /** Frees the session's memory in the core now rather than when it is collected. */
  free() {
    this.#inner.free();
  }
}
