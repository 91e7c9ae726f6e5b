// Huma OAuth and the Crona activation exchange, against the sandbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronaSyncError, cronaTransport, drive, humaTransport } from 'crona-sync';
import { PagerSession } from './support/pager-session.js';
import { sandbox } from './support/sandbox.js';

const box = await sandbox({ people: 40 });
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const WRONG_SECRET = '00000000-dead-beef-0000-000000000000';

/** @param {number} since */
async function tokenRequests(since) {
  const { requests } = await box.inspect(since);
  return requests.filter((/** @type {any} */ r) => r.path === '/auth/oauth/token').length;
}
async function lastSeq() {
  const { requests } = await box.inspect();
  return requests.length ? requests[requests.length - 1].seq : 0;
}

test('one Huma token serves a whole fetch, even with concurrent requests', async () => {
  const since = await lastSeq();
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });
  await drive(new PagerSession({ humaPageSize: 10 }), { huma, crona }, { concurrency: 8 });
  assert.equal(await tokenRequests(since), 1);
});

test('a revoked Huma token is renewed once and the request goes through', async () => {
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST });
  assert.equal((await huma.send({ id: 'a', system: 'huma', method: 'GET', path: '/users' })).status, 200);
  await box.control('huma/revoke-tokens');
  const since = await lastSeq();
  const response = await huma.send({ id: 'b', system: 'huma', method: 'GET', path: '/users' });
  assert.equal(response.status, 200);
  const { requests } = await box.inspect(since);
  assert.deepEqual(
    requests.map((/** @type {any} */ r) => `${r.method} ${r.path} ${r.status}`),
    ['GET /users 401', 'POST /auth/oauth/token 200', 'GET /users 200'],
  );
});

test('an expired Huma token is replaced before it is used', async () => {
  let clock = 1_000_000;
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST, now: () => clock });
  await huma.send({ id: 'a', system: 'huma', method: 'GET', path: '/users' });
  const since = await lastSeq();
  clock += 3600 * 1000; // the sandbox's tokens live 3600 s
  await huma.send({ id: 'b', system: 'huma', method: 'GET', path: '/users' });
  const { requests } = await box.inspect(since);
  assert.deepEqual(requests.map((/** @type {any} */ r) => `${r.method} ${r.path} ${r.status}`), ['POST /auth/oauth/token 200', 'GET /users 200']);
});

test('a wrong Huma secret fails once, clearly, and the secret is never shown', async () => {
  const since = await lastSeq();
  const huma = humaTransport({ baseUrl: box.humaUrl, clientId: box.credentials.huma.clientId, clientSecret: WRONG_SECRET, retry: FAST });
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST });
  await assert.rejects(drive(new PagerSession(), { huma, crona }, { concurrency: 4 }), (error) => {
    assert.ok(error instanceof CronaSyncError);
    assert.equal(error.code, 'huma_auth_failed');
    assert.match(error.message, /Huma did not accept the API client ID and secret \(401/);
    assert.ok(!JSON.stringify({ m: error.message, d: error.details, s: error.stack }).includes(WRONG_SECRET));
    return true;
  });
  assert.equal(await tokenRequests(since), 1, 'no retry storm against the token endpoint');
  assert.ok(!JSON.stringify(huma).includes(WRONG_SECRET), 'the transport does not expose the secret');
  await assert.rejects(huma.verify(), { code: 'huma_auth_failed' });
});

test('Huma verify proves the credentials and names the organisation', async () => {
  const huma = humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma });
  const { organizationId } = await huma.verify();
  assert.match(organizationId, /^[0-9a-f-]{36}$/);
});

test('the Crona activation code is exchanged once for a key that names the company', async () => {
  const since = await lastSeq();
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona });
  const company = await crona.verify();
  assert.ok(company.companyName.length > 0);
  await crona.send({ id: '1', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  await crona.send({ id: '2', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  const { requests } = await box.inspect(since);
  assert.equal(requests.filter((/** @type {any} */ r) => r.path === '/api/v1/activate').length, 1);
  assert.ok(!JSON.stringify(crona).includes(box.credentials.crona.activationCode));
});

test('a wrong Crona activation code says where to get a new one', async () => {
  const crona = cronaTransport({ baseUrl: box.cronaUrl, activationCode: 'WRONG-CODE-0000' });
  await assert.rejects(crona.verify(), (error) => {
    assert.ok(error instanceof CronaSyncError);
    assert.equal(error.code, 'crona_activation_failed');
    assert.match(error.message, /Aktiveringskod/);
    assert.ok(!error.message.includes('WRONG-CODE-0000'));
    return true;
  });
});

test('a Crona API key from an earlier exchange works without the code; a bad one is a 401', async () => {
  const first = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona });
  await first.verify();
  const activate = await fetch(`${box.cronaUrl}/api/v1/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(box.credentials.crona),
  });
  const { apiKey } = await activate.json();
  const byKey = cronaTransport({ baseUrl: box.cronaUrl, apiKey });
  assert.equal((await byKey.send({ id: 'k', system: 'crona', method: 'GET', path: '/api/v1/employees' })).status, 200);
  await byKey.verify();

  const bad = cronaTransport({ baseUrl: box.cronaUrl, apiKey: 'not-a-key', retry: FAST });
  const response = await bad.send({ id: 'b', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  assert.equal(response.status, 401, 'handed to the core, which reports it');
  await assert.rejects(bad.verify(), { code: 'crona_auth_failed' });
});

test('missing credentials and a bad base URL are refused up front', () => {
  assert.throws(() => humaTransport({ baseUrl: box.humaUrl, clientId: '', clientSecret: '' }), { code: 'missing_credentials' });
  assert.throws(() => cronaTransport({ baseUrl: box.cronaUrl }), { code: 'missing_credentials' });
  assert.throws(() => cronaTransport({ baseUrl: 'ftp://x', apiKey: 'k' }), { code: 'invalid_base_url' });
  assert.throws(() => humaTransport({ baseUrl: 'not a url', clientId: 'a', clientSecret: 'b' }), { code: 'invalid_base_url' });
});

test('a base URL with a user name or password is refused up front, without echoing either', () => {
  const SECRET = 'pw-5f1d-never-shown';
  const USER = 'admin-7c2e';
  const urls = [
    `https://${USER}:${SECRET}@huma.example`,
    `https://${USER}@huma.example/api`,
    `https://:${SECRET}@huma.example`,
    `http://${USER}:${SECRET}@127.0.0.1:9`,
    `http://${USER}:${SECRET}@openapi.humahr.com`,
  ];
  for (const baseUrl of urls) {
    for (const make of [
      () => humaTransport({ baseUrl, clientId: 'a', clientSecret: 'b' }),
      () => cronaTransport({ baseUrl, apiKey: 'k' }),
    ]) {
      assert.throws(make, (error) => {
        assert.ok(error instanceof CronaSyncError);
        assert.equal(error.code, 'invalid_base_url');
        assert.match(error.message, /must not contain a user name or password/);
        assert.match(error.message, /environment or the secrets file/);
        const shown = error.message + JSON.stringify(error.details) + String(error.stack);
        assert.ok(!shown.includes(SECRET) && !shown.includes(USER), shown);
        return true;
      }, baseUrl);
    }
  }
  // Nor when the URL doesn't even parse.
  assert.throws(() => humaTransport({ baseUrl: `https://${USER}:${SECRET}@huma example`, clientId: 'a', clientSecret: 'b' }), (error) => {
    assert.ok(error instanceof CronaSyncError);
    assert.equal(error.code, 'invalid_base_url');
    const shown = error.message + JSON.stringify(error.details) + String(error.stack);
    assert.ok(!shown.includes(SECRET) && !shown.includes(USER), shown);
    return true;
  });
});
