// Credentials are fetched once even when many requests need them at the same moment.

/**
 * Wraps an async producer so concurrent callers share one call; a failure is not cached.
 * @template T
 * @param {(signal?: AbortSignal) => Promise<T>} produce
 * @returns {(signal?: AbortSignal) => Promise<T>}
 */
export function singleFlight(produce) {
  /** @type {Promise<T> | null} */
  let pending = null;
  return (signal) => {
    pending ??= produce(signal).finally(() => {
      pending = null;
    });
    return pending;
  };
}

/**
 * Parses a response body that should be JSON; null when it isn't.
 * @param {string} text
 * @returns {any}
 */
export function jsonOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
