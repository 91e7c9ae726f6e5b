// The retry policy in detail: pure rules first, then each path over real HTTP to the sandbox.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CronaSyncError, cronaTransport, drive, humaTransport } from 'crona-sync';
import { backoffMs, isRetryableStatus, parseRetryAfter, retryAfterJitterMs } from '../../pkg/lib/retry.js';
import { sandbox } from './support/sandbox.js';

const box = await sandbox({ people: 40 });
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const huma = () => humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
const crona = () => cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });

/** @param {number} since @param {string} path */
async function count(since, path) {
  const { requests } = await box.inspect(since);
  return requests.filter((/** @type {any} */ r) => r.path === path).length;
}
async function lastSeq() {
  const { requests } = await box.inspect();
  return requests.length ? requests[requests.length - 1].seq : 0;
}

test('Retry-After is read as seconds or an HTTP date, and anything else is ignored', () => {
  const now = Date.parse('Wed, 25 Nov 2026 10:00:00 GMT');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past: now');
  for (const junk of ['1.5', '-1', '12 Nov', 'soon', '', null, undefined]) assert.equal(parseRetryAfter(junk, now), null, String(junk));
});

test('back-off grows exponentially, is capped, and is jittered from zero', () => {
  const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
  assert.equal(backoffMs(0, policy, () => 0.999), 99);
  assert.equal(backoffMs(3, policy, () => 0.999), 799);
  assert.equal(backoffMs(9, policy, () => 0.999), 999, 'capped');
  assert.equal(backoffMs(9, policy, () => 0), 0, 'full jitter');
});

test('the jitter on a wait the server asked for is small: up to a twentieth of it, at most the base delay', () => {
  const policy = { baseDelayMs: 500 };
  assert.equal(retryAfterJitterMs(1000, policy, () => 0.999), 49, 'Retry-After: 1 waits at most 1.049 s');
  assert.equal(retryAfterJitterMs(60_000, policy, () => 0.999), 499, 'capped at the base delay');
  assert.equal(retryAfterJitterMs(0, policy, () => 0.999), 0, 'Retry-After: 0 means now');
  assert.equal(retryAfterJitterMs(1000, policy, () => 0), 0);
});

test('429 and 503 are retried for every request; 502 and 504 only where a repeat is harmless', () => {
  const get = { method: 'GET' };
  const post = { method: 'POST' };
  for (const s of [429, 503]) assert.ok(isRetryableStatus(s, get) && isRetryableStatus(s, post), String(s));
  for (const s of [502, 504]) {
    assert.ok(isRetryableStatus(s, get), `GET ${s}`);
    assert.ok(!isRetryableStatus(s, post), `POST ${s}`);
    assert.ok(isRetryableStatus(s, { method: 'POST', idempotent: true }), `idempotent POST ${s}`);
  }
  for (const s of [400, 401, 404, 409, 422, 500]) assert.ok(!isRetryableStatus(s, get), String(s));
});

test('over HTTP: a 502 is retried for a GET but handed back at once for a POST; a 429 POST is retried', async () => {
  const h = huma();
  await h.verify();
  await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status: 502, count: 1 }]);
  assert.equal((await h.send({ id: 'g', system: 'huma', method: 'GET', path: '/users' })).attempts, 2);
  await box.faults([{ system: 'huma', method: 'POST', path: '^/users$', kind: 'status', status: 502, count: 1 }]);
  const body = { givenName: 'Örjan', familyName: 'Åberg', email: 'orjan.aberg.retry@example.se', groups: [] };
  const post = await h.send({ id: 'p', system: 'huma', method: 'POST', path: '/users', body });
  assert.deepEqual([post.status, post.attempts], [502, 1]);
  await box.faults([{ system: 'huma', method: 'POST', path: '^/users$', kind: 'status', status: 429, retryAfter: '0', count: 1 }]);
  const again = await h.send({ id: 'p2', system: 'huma', method: 'POST', path: '/users', body: { ...body, email: 'orjan.aberg.retry2@example.se' } });
  assert.deepEqual([again.status, again.attempts], [200, 2]);
  await box.clearFaults();
});

test('a Retry-After longer than the limit gives up at once with the reason', async () => {
  await box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 429, retryAfter: '600', count: 1 }]);
  const c = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: { ...FAST, maxRetryAfterMs: 1000 } });
  const r = await c.send({ id: 'c', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  assert.deepEqual([r.status, r.attempts, r.error?.code], [429, 1, 'retries_exhausted']);
  assert.match(r.error?.message ?? '', /asked to wait 600 s, more than the 1 s limit/);
  await box.clearFaults();
});

test('a 401 that survives the renewal is handed back after exactly one new token', async () => {
  const h = huma();
  await h.verify();
  await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status: 401, count: 2 }]);
  const since = await lastSeq();
  const r = await h.send({ id: 'u', system: 'huma', method: 'GET', path: '/users' });
  assert.deepEqual([r.status, r.attempts], [401, 2]);
  assert.equal(await count(since, '/auth/oauth/token'), 1);
  await box.clearFaults();
});

test('a revoked token with many requests in flight is renewed once, not once per request', async () => {
  const h = huma();
  await h.verify();
  await box.control('huma/revoke-tokens');
  const since = await lastSeq();
  const all = await Promise.all(Array.from({ length: 8 }, (_, i) => h.send({ id: `r${i}`, system: 'huma', method: 'GET', path: '/users' })));
  assert.ok(all.every((r) => r.status === 200));
  assert.equal(await count(since, '/auth/oauth/token'), 1);
});

test('a Crona 401 exchanges the activation code again and succeeds', async () => {
  const c = crona();
  await c.verify();
  await box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 401, count: 1 }]);
  const since = await lastSeq();
  const r = await c.send({ id: 'c', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  assert.deepEqual([r.status, r.attempts], [200, 2]);
  assert.equal(await count(since, '/api/v1/activate'), 1);
  await box.clearFaults();
});

test('a transport that answers with something that is not a response ends drive with a coded error', async () => {
  /** @type {any} */
  const broken = { system: 'huma', baseUrl: 'x', send: async () => undefined };
  const session = {
    sent: false,
    poll() {
      if (this.sent) return [];
      this.sent = true;
      return [{ id: 'a', system: /** @type {const} */ ('huma'), method: /** @type {const} */ ('GET'), path: '/users' }];
    },
    handle() {},
  };
  await assert.rejects(drive(session, { huma: broken }), (e) => e instanceof CronaSyncError && e.code === 'invalid_response');
});

test('credentials go over plain http only to this machine, and paths cannot climb out', async () => {
  assert.throws(() => humaTransport({ baseUrl: 'http://openapi.humahr.com', clientId: 'a', clientSecret: 'b' }), { code: 'invalid_base_url' });
  humaTransport({ baseUrl: 'https://openapi.humahr.com', clientId: 'a', clientSecret: 'b' });
  humaTransport({ baseUrl: 'http://localhost:9', clientId: 'a', clientSecret: 'b' });
  const h = huma();
  for (const path of ['/users/../auth/oauth/revoke', '/users/%2e%2e/auth', '/users/./x']) {
    await assert.rejects(h.send({ id: 'x', system: 'huma', method: 'GET', path }), { code: 'invalid_request' }, path);
  }
});

test('the sandbox refuses control requests that are not JSON, and any host but loopback', async () => {
  const r = await fetch(`${box.url}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(r.status, 400);
  const main = new URL('../sandbox/main.js', import.meta.url).pathname;
  const run = spawnSync(process.execPath, [main, '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /loopback/);
});
