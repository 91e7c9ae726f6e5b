// The one error class of the package: callers branch on `code`, never on the message.

/** Every error the package throws. `code` is stable; `details` holds structured facts. */
export class CronaSyncError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {unknown} [details]
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, details = null, options) {
    super(message, options);
    this.name = 'CronaSyncError';
    /** @type {string} */
    this.code = code;
    /** @type {unknown} */
    this.details = details;
  }
}

/**
 * Gives an error thrown by the wasm core the CronaSyncError prototype (keeping its stack), and
 * turns a crash of the core into a coded error.
 * @param {unknown} error
 * @returns {CronaSyncError}
 */
export function adoptError(error) {
  if (error instanceof CronaSyncError) return error;
  if (error instanceof Error && error.name === 'CronaSyncError' && 'code' in error) {
    return Object.setPrototypeOf(error, CronaSyncError.prototype);
  }
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) {
    // A panic aborts the wasm instance; it can't be used again in this process or page.
    return new CronaSyncError(
      'internal_error',
      'The crona-sync core stopped unexpectedly (a bug; please report it). Reload to continue.',
      null,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CronaSyncError('internal_error', message, null, { cause: error });
}
