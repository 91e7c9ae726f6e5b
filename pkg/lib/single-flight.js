// Credentials are fetched once even when many requests need them at the same moment.

/**
 * Wraps an async producer so concurrent callers share one call; a failure is not cached. The
 * shared call belongs to no caller: one caller's abort ends only that caller's wait.
 * @template T
 * @param {() => Promise<T>} produce
 * @returns {(signal?: AbortSignal) => Promise<T>}
 */
export function singleFlight(produce) {
  /** @type {Promise<T> | null} */
  let pending = null;
  return (signal) => {
    pending ??= produce().finally(() => {
      pending = null;
    });
    if (!signal) return pending;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      /** @type {Promise<T>} */ (pending).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}
