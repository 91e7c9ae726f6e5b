// The transports of one run: the service's same-origin relay, which attaches the connection's
// credentials itself and forwards only for the run holding the connection's lease. The page
// holds no secret; retries and rate limits stay here.
import { relayTransport } from '../../pkg/web.js';

/** Longer than the relay's own 60 s wait, so the relay's answer (504 relay_timeout) arrives. */
const TIMEOUT_MS = 90_000;

/** @param {number} connectionId @param {string} leaseToken */
export function relayTransports(connectionId, leaseToken) {
  const base = `${location.origin}/relay/${connectionId}`;
  const headers = { 'x-crona-sync-lease': leaseToken };
  return {
    huma: relayTransport({ baseUrl: `${base}/huma`, system: 'huma', headers, timeoutMs: TIMEOUT_MS }),
    crona: relayTransport({ baseUrl: `${base}/crona`, system: 'crona', headers, timeoutMs: TIMEOUT_MS }),
  };
}
