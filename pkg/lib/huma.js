// Huma Open API transport: OAuth2 client credentials, with the token reused until it expires
// and renewed once when the API answers 401. The secret lives only in this closure.
import { CronaSyncError } from './errors.js';
import { createSender, checkBaseUrl, jsonOrNull } from './http.js';
import { RateGate } from './rate-gate.js';
import { singleFlight } from './single-flight.js';

/** Renew a little before Huma says the token expires, so no request races the expiry. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * @typedef {object} HumaTransportOptions
 * @property {string} baseUrl          e.g. https://openapi.humahr.com
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {typeof fetch} [fetch]
 * @property {number} [timeoutMs]
 * @property {Partial<import('./retry.js').RetryPolicy>} [retry]
 * @property {() => number} [random]
 * @property {() => number} [now]      clock for token expiry (default Date.now)
 */

/**
 * @param {HumaTransportOptions} options
 * @returns {import('../index.js').HumaTransport}
 */
export function humaTransport(options) {
  if (!options?.clientId || !options?.clientSecret) {
    throw new CronaSyncError('missing_credentials', 'Huma needs an API client ID and client secret (System settings → Open API).', { system: 'huma' });
  }
  const { clientId, clientSecret } = options;
  const now = options.now ?? Date.now;
  const base = checkBaseUrl(options.baseUrl, 'huma');
  /** @typedef {{ value: string, expiresAt: number, organizationId: string }} Token */
  /** @type {Token | null} */
  let token = null;

  // One gate for the token and the API calls: a rate limit holds back both.
  const gate = new RateGate();
  const tokenSender = createSender({ ...options, system: 'huma', gate });

  /**
   * @param {AbortSignal | undefined} signal
   * @returns {Promise<Token>}
   */
  async function requestToken(signal) {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const response = await tokenSender(
      { id: 'huma-token', system: 'huma', method: 'POST', path: '/auth/oauth/token', idempotent: true, form: form.toString() },
      { signal },
    );
    const json = jsonOrNull(response.body);
    if (response.status === 200 && typeof json?.access_token === 'string' && json.access_token) {
      const seconds = Number.isFinite(json.expires_in) ? Number(json.expires_in) : 3600;
      return {
        value: json.access_token,
        expiresAt: now() + Math.max(0, seconds * 1000 - EXPIRY_MARGIN_MS),
        organizationId: typeof json.organizationId === 'string' ? json.organizationId : '',
      };
    }
    if (response.status === 400 || response.status === 401) {
      const reason = json?.error_description ?? json?.errorMessage ?? json?.error ?? `status ${response.status}`;
      throw new CronaSyncError('huma_auth_failed',
        `Huma did not accept the API client ID and secret (${response.status}: ${reason}). Check the key under System settings → Open API; it may have been deactivated.`,
        { system: 'huma', status: response.status, error: json?.error ?? json?.errorCode ?? null });
    }
    const why = response.error?.message ?? `status ${response.status}`;
    throw new CronaSyncError('huma_unavailable', `Could not get a Huma access token: ${why}.`,
      { system: 'huma', status: response.status, retryAfter: response.headers?.['retry-after'] ?? null });
  }

  const newToken = singleFlight(async () => (token = await requestToken(undefined)));

  /**
   * @param {AbortSignal | undefined} signal
   * @returns {Promise<Token>}
   */
  function currentToken(signal) {
    return token && now() < token.expiresAt ? Promise.resolve(token) : newToken(signal);
  }

  const send = createSender({
    ...options,
    system: 'huma',
    gate,
    auth: {
      header: async (signal) => `Bearer ${(await currentToken(signal)).value}`,
      renew: async (rejected) => {
        // Requests sent with the old token fail one after another: only the first renews.
        if (token && rejected === `Bearer ${token.value}`) token = null;
        return true;
      },
    },
  });

  return Object.freeze({
    system: /** @type {const} */ ('huma'),
    baseUrl: base,
    send,
    /** Requests a token now: proves the credentials. */
    async verify(/** @type {{ signal?: AbortSignal }} */ { signal } = {}) {
      token = null;
      const t = await currentToken(signal);
      return { organizationId: t.organizationId };
    },
  });
}
