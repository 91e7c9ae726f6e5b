// Crona Lön transport: the Aktiveringskod is exchanged for an API key (docs/crona-api.md), which
// then goes on every call as a bearer token. Nothing else about Crona lives in JavaScript.
import { CronaSyncError } from './errors.js';
import { createSender, checkBaseUrl, jsonOrNull } from './http.js';
import { RateGate } from './rate-gate.js';
import { singleFlight } from './single-flight.js';

/**
 * @typedef {object} CronaTransportOptions
 * @property {string} baseUrl
 * @property {string} [activationCode]  from Crona Lön: Inställningar → Kopplingar → API-koppling
 * @property {string} [apiKey]          a key from an earlier exchange (instead of, or with, the code)
 * @property {(apiKey: string, company: { companyId: string, companyName: string }) => void} [onKey]
 *   told each new key an exchange gives, so a runner that keeps the key can keep the new one
 * @property {typeof fetch} [fetch]
 * @property {number} [timeoutMs]
 * @property {Partial<import('./retry.js').RetryPolicy>} [retry]
 * @property {() => number} [random]
 */

/**
 * @param {CronaTransportOptions} options
 * @returns {import('../index.js').CronaTransport}
 */
export function cronaTransport(options) {
  const { activationCode } = options ?? {};
  if (!activationCode && !options?.apiKey) {
    throw new CronaSyncError('missing_credentials',
      'Crona needs an activation code (Crona Lön → Inställningar → Kopplingar → Skapa ny → API-koppling) or an API key.',
      { system: 'crona' });
  }
  const base = checkBaseUrl(options.baseUrl, 'crona');
  /** @type {string | null} */
  let apiKey = options.apiKey ?? null;
  /** @type {{ companyId: string, companyName: string } | null} */
  let company = null;
  // One gate for the activation and the API calls: a rate limit holds back both.
  const gate = new RateGate();
  const plain = createSender({ ...options, system: 'crona', gate });

  /** @param {AbortSignal | undefined} signal */
  async function exchange(signal) {
    if (!activationCode) {
      throw new CronaSyncError('crona_auth_failed',
        'Crona refused the API key and no activation code was given to get a new one.', { system: 'crona', status: 401 });
    }
    const response = await plain(
      { id: 'crona-activate', system: 'crona', method: 'POST', path: '/api/v1/activate', idempotent: true, body: JSON.stringify({ activationCode }) },
      { signal },
    );
    const json = jsonOrNull(response.body);
    if (response.status === 200 && typeof json?.apiKey === 'string' && json.apiKey) {
      company = { companyId: String(json.companyId ?? ''), companyName: String(json.companyName ?? '') };
      options.onKey?.(json.apiKey, company);
      return json.apiKey;
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      const reason = json?.error?.message ?? json?.error?.code ?? `status ${response.status}`;
      throw new CronaSyncError('crona_activation_failed',
        `Crona did not accept the activation code (${response.status}: ${reason}). Create a new API-koppling in Crona Lön and copy its Aktiveringskod.`,
        { system: 'crona', status: response.status, error: json?.error?.code ?? null });
    }
    const why = response.error?.message ?? `status ${response.status}`;
    throw new CronaSyncError('crona_unavailable', `Could not activate the Crona connection: ${why}.`,
      { system: 'crona', status: response.status, retryAfter: response.headers?.['retry-after'] ?? null });
  }

  const newKey = singleFlight(async () => (apiKey = await exchange(undefined)));

  /**
   * @param {AbortSignal | undefined} signal
   * @returns {Promise<string>}
   */
  function key(signal) {
    return apiKey ? Promise.resolve(apiKey) : newKey(signal);
  }

  const send = createSender({
    ...options,
    system: 'crona',
    gate,
    auth: {
      header: async (signal) => `Bearer ${await key(signal)}`,
      // A refused key is renewed only when we hold the code to get a new one.
      renew: async (rejected) => {
        if (!activationCode) return false;
        if (apiKey && rejected === `Bearer ${apiKey}`) apiKey = null;
        return true;
      },
    },
  });

  return Object.freeze({
    system: /** @type {const} */ ('crona'),
    baseUrl: base,
    send,
    /**
     * Proves the API key, or without one exchanges the activation code, and names the company
     * (empty when only a key was given: Crona names it only at the exchange). A refused key is
     * exchanged again when the code is at hand.
     */
    async verify(/** @type {{ signal?: AbortSignal }} */ { signal } = {}) {
      if (!apiKey) {
        await key(signal);
        return company ?? { companyId: '', companyName: '' };
      }
      const probe = await send({ id: 'crona-verify', system: 'crona', method: 'GET', path: '/api/v1/employees', query: { page: 1, pageSize: 1 } }, { signal });
      if (probe.status === 200) return company ?? { companyId: '', companyName: '' };
      throw new CronaSyncError('crona_auth_failed', `Crona refused the API key (${probe.status}).`, { system: 'crona', status: probe.status });
    },
  });
}
