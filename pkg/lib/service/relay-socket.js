// The relay over one WebSocket (/relay/<connection>/socket): what the page's runs use. Each
// message is one request the HTTP relay would take, with the run's lease token in it; the answer
// comes back as a binary message when the API answers, in any order. The rules are the HTTP
// relay's (forward() in relay.js): the same requests pass, for the same run, with the same
// credentials. What it saves is the HTTP exchange per request between the page and the service:
// a browser's fetch and the service's request handling cost more than the request to the API.
import { CronaSyncError } from '../errors.js';
import { MAX_REQUEST_BYTES, errorAnswer, forward } from './relay.js';
import { accept } from './websocket.js';

/**
 * @typedef {object} SocketTarget
 * @property {(lease: unknown) => { transports: import('./relay.js').RelayTransports, check?: import('./relay.js').RelayCheck }} resolve
 *   the run holding the connection's lease, or a coded refusal (signed out, relay_needs_run)
 * @property {(line: string) => void} log
 */

/**
 * Serves the socket after the service checked the host, the origin and the session.
 * @param {import('node:http').IncomingMessage} req @param {import('node:stream').Duplex} raw @param {Buffer} head
 * @param {SocketTarget} target
 */
export function serveRelaySocket(req, raw, head, target) {
  /** @type {Map<number, AbortController>} the requests in flight, by the page's id */
  const inflight = new Map();
  const socket = accept(req, raw, head, {
    maxBytes: MAX_REQUEST_BYTES + 64 * 1024,
    onClose() {
      for (const abort of inflight.values()) abort.abort();
      inflight.clear();
    },
    onMessage(data) {
      /** @type {any} */
      let m;
      try {
        m = typeof data === 'string' ? JSON.parse(data) : null;
      } catch {
        m = null;
      }
      if (!m || typeof m !== 'object' || !Number.isSafeInteger(m.id)) return socket.close(1003);
      if (m.cancel === true) return inflight.get(m.id)?.abort();
      if (inflight.has(m.id)) return socket.close(1008);
      const abort = new AbortController();
      inflight.set(m.id, abort);
      answer(m, abort.signal).then((a) => {
        inflight.delete(m.id);
        if (!abort.signal.aborted) socket.send(encode(m.id, a));
      });
    },
  });

  /** @param {any} m @param {AbortSignal} signal @returns {Promise<import('./relay.js').RelayAnswer>} */
  async function answer(m, signal) {
    try {
      if ((m.system !== 'huma' && m.system !== 'crona') || typeof m.method !== 'string' || typeof m.path !== 'string') {
        throw new CronaSyncError('invalid_request', 'A relay message names a system, a method and a path.');
      }
      if (m.body !== undefined && typeof m.body !== 'string') throw new CronaSyncError('invalid_request', 'A relay message\'s body is text.');
      const { transports, check } = target.resolve(m.lease);
      return await forward({ system: m.system, method: m.method, path: m.path, query: query(m.query), body: m.body }, transports, check, signal);
    } catch (error) {
      if (!(error instanceof CronaSyncError)) target.log(`internal error on the relay socket: ${error instanceof Error ? error.stack : error}`);
      // As the HTTP relay answers a refusal: the status and { error, message }.
      return errorAnswer(error);
    }
  }
}

/** The query as the HTTP relay reads it: each key a list of strings. @param {unknown} q */
function query(q) {
  /** @type {Record<string, string[]>} */
  const out = {};
  if (q === undefined) return out;
  if (!q || typeof q !== 'object' || Array.isArray(q)) throw new CronaSyncError('invalid_request', 'A relay message\'s query maps names to lists of text.');
  for (const [k, v] of Object.entries(q)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new CronaSyncError('invalid_request', 'A relay message\'s query maps names to lists of text.');
    out[k] = v;
  }
  return out;
}

/**
 * An answer as one binary message: the length of a JSON head (4 bytes, big-endian), the head
 * ({ id, status, headers }), then the body's UTF-8 as the API sent it, unescaped.
 * @param {number} id @param {import('./relay.js').RelayAnswer} a
 */
export function encode(id, a) {
  const head = Buffer.from(JSON.stringify({ id, status: a.status, headers: a.headers }), 'utf8');
  const out = Buffer.allocUnsafe(4 + head.length + a.body.byteLength);
  out.writeUInt32BE(head.length, 0);
  head.copy(out, 4);
  out.set(a.body, 4 + head.length);
  return out;
}
