// The transports of one run: the service's same-origin relay, which attaches the connection's
// credentials itself and forwards only for the run holding the connection's lease. The page
// holds no secret; retries and rate limits stay here. Every request of the run goes over one
// socket to the relay (pkg/lib/relay-socket.js), with the lease token in each message.
import { relayTransport } from '../../pkg/web.js';
import { relaySocket } from '../../pkg/lib/relay-socket.js';

/** Longer than the relay's own 60 s wait, so the relay's answer (504 relay_timeout) arrives. */
const TIMEOUT_MS = 90_000;

/** @param {number} connectionId @param {string} leaseToken @param {string} [origin] the service's */
export function relayTransports(connectionId, leaseToken, origin = location.origin) {
  const base = `${origin}/relay/${connectionId}`;
  const socket = relaySocket(`${base.replace(/^http/, 'ws')}/socket`);
  const headers = { 'x-crona-sync-lease': leaseToken };
  return {
    huma: relayTransport({ baseUrl: `${base}/huma`, system: 'huma', headers, timeoutMs: TIMEOUT_MS, fetch: socket.fetch }),
    crona: relayTransport({ baseUrl: `${base}/crona`, system: 'crona', headers, timeoutMs: TIMEOUT_MS, fetch: socket.fetch }),
    close: socket.close,
  };
}
