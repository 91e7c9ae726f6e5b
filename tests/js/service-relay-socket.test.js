// The relay's socket (/relay/<connection>/socket), which the page's runs use: the same rules as the
// relay's HTTP requests (only from the page's own origin, with a session; each message forwarded
// only for the run holding the lease, only what the core sends), answers that are exactly what the
// API sent, in any order, and the requests in flight cancelled when the socket goes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import { service } from './support/service.js';

const s = await service();
const cookie = await s.signIn();
const run = await s.begin(cookie);

/**
 * A WebSocket client as small as the test needs (Node 20 has none built in): the handshake, masked
 * text frames out, the relay's binary answers in, decoded as the page decodes them.
 * @param {{ cookie?: string, origin?: string | null }} o
 * @returns {Promise<{ status: number, refusal?: any, send: (m: unknown) => void, next: () => Promise<{ id: number, status: number, headers: Record<string, string>, body: string }>, close: () => void }>}
 */
function connect(o) {
  return new Promise((resolve, reject) => {
    /** @type {Record<string, string>} */
    const headers = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') };
    if (o.cookie) headers.cookie = o.cookie;
    if (o.origin !== null) headers.origin = o.origin ?? s.svc.url;
    const req = request(`${s.svc.url}/relay/${s.id}/socket`, { headers });
    req.on('response', async (res) => {
      let text = '';
      for await (const chunk of res) text += chunk;
      resolve({ status: /** @type {number} */ (res.statusCode), refusal: JSON.parse(text).error, send() {}, next: () => Promise.reject(new Error('refused')), close() {} });
    });
    req.on('upgrade', (res, socket, head) => {
      let buffered = head;
      /** @type {((a: any) => void)[]} */
      const waiters = [];
      /** @type {any[]} */
      const answers = [];
      socket.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          if (buffered.length < 2) return;
          let length = buffered[1] & 0x7f;
          let at = 2;
          if (length === 126) [length, at] = [buffered.readUInt16BE(2), 4];
          else if (length === 127) [length, at] = [Number(buffered.readBigUInt64BE(2)), 10];
          if (buffered.length < at + length) return;
          const payload = buffered.subarray(at, at + length);
          buffered = buffered.subarray(at + length);
          const headLength = payload.readUInt32BE(0);
          const answer = { ...JSON.parse(payload.subarray(4, 4 + headLength).toString('utf8')), body: payload.subarray(4 + headLength).toString('utf8') };
          const waiter = waiters.shift();
          if (waiter) waiter(answer);
          else answers.push(answer);
        }
      });
      resolve({
        status: /** @type {number} */ (res.statusCode),
        send(m) {
          const payload = Buffer.from(JSON.stringify(m), 'utf8');
          const mask = randomBytes(4);
          const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
          socket.write(Buffer.concat([head, mask, payload.map((b, i) => b ^ mask[i & 3])]));
        },
        next: () => (answers.length ? Promise.resolve(answers.shift()) : new Promise((r) => waiters.push(r))),
        close: () => socket.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('the socket opens only from the page\'s own origin, with a session', async () => {
  const other = await connect({ cookie, origin: 'https://evil.example' });
  assert.equal(other.status, 403);
  assert.equal(other.refusal.code, 'cross_origin_refused');
  const none = await connect({ cookie, origin: null });
  assert.equal(none.status, 403);
  const signedOut = await connect({});
  assert.equal(signedOut.status, 401);
  assert.equal(signedOut.refusal.code, 'signed_out');
});

test('each message is forwarded for the run holding the lease, and answers with exactly what the HTTP relay answers', async () => {
  const ws = await connect({ cookie });
  assert.equal(ws.status, 101);
  ws.send({ id: 1, system: 'huma', method: 'GET', path: '/users', query: { limit: ['5'], offset: ['0'] }, lease: run.lease });
  const viaSocket = await ws.next();
  const viaHttp = await s.call('GET', `/relay/${s.id}/huma/users?limit=5&offset=0`, undefined, { cookie, lease: run.lease });
  assert.deepEqual([viaSocket.id, viaSocket.status, viaSocket.headers['content-type']], [1, 200, viaHttp.headers.get('content-type')]);
  assert.equal(viaSocket.body, viaHttp.text);

  // Without the lease, or for what the core never sends: the HTTP relay's refusals, as answers.
  ws.send({ id: 2, system: 'huma', method: 'GET', path: '/users', lease: 'not-the-lease' });
  const noLease = await ws.next();
  assert.deepEqual([noLease.id, noLease.status, JSON.parse(noLease.body).error.code], [2, 403, 'relay_needs_run']);
  ws.send({ id: 3, system: 'huma', method: 'DELETE', path: '/users/abc', lease: run.lease });
  const refused = await ws.next();
  assert.deepEqual([refused.status, JSON.parse(refused.body).error.code], [404, 'relay_not_allowed']);
  for (const [id, path] of /** @type {const} */ ([[4, '/users/..'], [5, '/users/a%2fb'], [6, '//evil.example/users']])) {
    ws.send({ id, system: 'huma', method: 'GET', path, lease: run.lease });
    const bad = await ws.next();
    assert.ok([400, 404].includes(bad.status), `${path}: ${bad.status}`);
  }
  ws.close();
});
