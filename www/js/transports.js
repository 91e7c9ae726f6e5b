// The transports for one connection: the service's same-origin relay, which attaches the
// connection's credentials itself. The page holds no secret; retries and rate limits stay here.
import { relayTransport } from '../../pkg/web.js';

/** @param {number} connectionId */
export function relayTransports(connectionId) {
  const base = `${location.origin}/relay/${connectionId}`;
  return {
    huma: relayTransport({ baseUrl: `${base}/huma`, system: 'huma' }),
    crona: relayTransport({ baseUrl: `${base}/crona`, system: 'crona' }),
  };
}
