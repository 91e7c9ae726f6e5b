// Transports for a page served by the integration service: every request goes to the service's
// same-origin relay (/relay/<connection>/huma|crona/…), which attaches the connection's
// credentials itself. The page holds no secret; retries and rate limits stay here, as with the
// direct transports.
import { createSender } from './http.js';
import { RateGate } from './rate-gate.js';

/**
 * @typedef {object} RelayOptions
 * @property {string} baseUrl   the relay for one system, e.g. `${location.origin}/relay/1/huma`
 * @property {import('../index.js').System} system
 * @property {typeof fetch} [fetch]
 * @property {number} [timeoutMs]
 * @property {Partial<import('./retry.js').RetryPolicy>} [retry]
 * @property {() => number} [random]
 * @property {Record<string, string>} [headers]  e.g. the run's lease token, `x-crona-sync-lease`
 */

/**
 * A transport that sends the core's requests through the service's relay.
 * @param {RelayOptions} options
 * @returns {{ system: import('../index.js').System, baseUrl: string, send: ReturnType<typeof createSender> }}
 */
export function relayTransport(options) {
  const send = createSender({ ...options, relay: true, gate: new RateGate() });
  return Object.freeze({ system: options.system, baseUrl: options.baseUrl.replace(/\/+$/, ''), send });
}
