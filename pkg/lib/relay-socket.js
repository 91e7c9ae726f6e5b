// The page's side of the relay socket (/relay/<connection>/socket, pkg/lib/service/relay-socket.js):
// a fetch() for the relay's URLs that sends each request as a message on one WebSocket and
// resolves with the answer as a Response. Given to relayTransport as its `fetch`, so retries, rate
// limits and timeouts stay in http.js, per request, as over HTTP. One socket carries every request
// of a run, so the browser's limit of six connections per host and its cost per fetch don't apply.

/**
 * What http.js reads of a Response: its status, headers and body bytes. A Response built from the
 * bytes would read them back through a stream, a task later, on every one of tens of thousands of
 * answers.
 * @typedef {{ status: number, headers: Headers, arrayBuffer: () => Promise<ArrayBuffer> }} Answer
 */

/** @param {number} status @param {Headers} headers @param {ArrayBuffer} body @returns {Answer} */
function answer(status, headers, body) {
  return { status, headers, arrayBuffer: () => Promise.resolve(body) };
}

/**
 * A fetch() over the socket at `url` (ws: or wss:), opened at the first request and again after
 * it closed. A request whose socket closes fails as a network error does (http.js retries a read).
 * A socket that can't be opened at all (a proxy in front of the service that passes no WebSocket)
 * leaves the requests to the relay's HTTP address, one fetch each, as before the socket.
 * @param {string} url
 * @returns {{ fetch: typeof fetch, close: () => void }}
 */
export function relaySocket(url) {
  /** @type {WebSocket | null} */
  let ws = null;
  /** @type {Promise<WebSocket> | null} */
  let opening = null;
  /** @type {Map<number, { resolve: (r: Answer) => void, reject: (e: unknown) => void }>} */
  const waiting = new Map();
  let next = 1;
  let overHttp = false;
  const decoder = new TextDecoder();

  /** @returns {Promise<WebSocket>} */
  function open() {
    if (ws && ws.readyState === WebSocket.OPEN) return Promise.resolve(ws);
    opening ??= new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        ws = socket;
        opening = null;
        resolve(socket);
      };
      socket.onmessage = (event) => {
        const data = new Uint8Array(/** @type {ArrayBuffer} */ (event.data));
        const length = new DataView(data.buffer).getUint32(0);
        const head = JSON.parse(decoder.decode(data.subarray(4, 4 + length)));
        // The body's bytes as the API sent them, for the core (one copy out of the frame).
        const body = data.buffer.slice(data.byteOffset + 4 + length, data.byteOffset + data.byteLength);
        const w = waiting.get(head.id);
        if (!w) return;
        waiting.delete(head.id);
        w.resolve(answer(head.status, new Headers(head.headers), body));
      };
      socket.onclose = () => {
        if (ws === socket) ws = null;
        if (opening && ws === null) {
          opening = null;
          reject(new TypeError('The relay socket could not be opened.'));
        }
        for (const w of waiting.values()) w.reject(new TypeError('The relay socket closed before the answer came.'));
        waiting.clear();
      };
    });
    return opening;
  }

  /** @param {string | URL | Request} input @param {RequestInit} [init] @returns {Promise<Answer>} */
  async function socketFetch(input, init = {}) {
    const signal = init.signal ?? undefined;
    if (overHttp) return fetch(input, init);
    signal?.throwIfAborted();
    const target = new URL(String(input));
    const m = /^\/relay\/\d+\/(huma|crona)(\/.*)$/.exec(target.pathname);
    if (!m) throw new TypeError(`Not a relay address: ${target.pathname}`);
    /** @type {Record<string, string[]>} */
    const query = {};
    for (const [k, v] of target.searchParams) (query[k] ??= []).push(v);
    const headers = new Headers(init.headers);
    const id = next++;
    const message = JSON.stringify({
      id, system: m[1], method: init.method ?? 'GET', path: m[2], query,
      body: typeof init.body === 'string' ? init.body : undefined,
      lease: headers.get('x-crona-sync-lease') ?? undefined,
    });
    /** @type {WebSocket} */
    let socket;
    try {
      socket = await open();
    } catch {
      overHttp = true;
      return fetch(input, init);
    }
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!waiting.delete(id)) return;
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, cancel: true }));
        reject(signal?.reason);
      };
      waiting.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.send(message);
    });
  }

  return {
    fetch: /** @type {typeof fetch} */ (/** @type {unknown} */ (socketFetch)),
    close() {
      ws?.close();
      ws = null;
    },
  };
}
