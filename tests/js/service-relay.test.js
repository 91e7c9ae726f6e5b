// The integration service's relay and run API, against the sandbox over real HTTP: only what the
// core sends passes, always to the connection's own host, with the credentials attached by the
// service and never shown; without a session nothing passes; one run at a time per connection.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { relayTransport } from '../../pkg/index.js';
import { fetchAll } from './support/fetch-all.js';
import { service } from './support/service.js';

const s = await service();
const cookie = await s.signIn();
/** The run the relay tests work under (the relay forwards only for the run holding the lease). */
const run = await s.begin(cookie);
const lease = run.lease;
const secrets = () => [s.credentials.huma.clientSecret, s.credentials.crona.activationCode, /** @type {string} */ (s.store.secret(s.id, 'crona.apiKey'))];

test('without a session the API and the relay answer 401 signed_out; /healthz is open and names no one', async () => {
  for (const path of ['/api/connections', `/relay/${s.id}/huma/users`, `/relay/${s.id}/crona/api/v1/employees`]) {
    const r = await s.call('GET', path);
    assert.equal(r.status, 401, path);
    assert.equal(r.json.error.code, 'signed_out');
  }
  const bad = await s.call('GET', '/api/connections', undefined, { cookie: 'crona_sync_session=forged' });
  assert.equal(bad.status, 401);
  const health = await s.call('GET', '/healthz');
  // The relay tests' run is going: the last run has no outcome yet.
  const lastRun = { kind: 'sync', outcome: null, at: /** @type {string} */ (s.store.run(run.run.id)?.startedAt) };
  assert.deepEqual(health.json, { status: 'ok', store: 'ok', connections: [{ id: s.id, name: 'Sandbox', active: false, status: 'ok', reasons: [], queued: 0, held: 0, lastRun, webhooksConfigured: false }] });
});

test('the relay forwards what the core sends to the connection and answers with exactly what came back', async () => {
  const before = (await s.box.inspect()).seq;
  const r = await s.call('GET', `/relay/${s.id}/huma/users?limit=5&offset=0`, undefined, { cookie, lease });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  // The same request sent straight to Huma with a token of our own gets the same bytes.
  const c = s.credentials.huma;
  const token = await (await fetch(`${s.box.humaUrl}/auth/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }) })).json();
  const direct = await (await fetch(`${s.box.humaUrl}/users?limit=5&offset=0`, { headers: { authorization: `Bearer ${token.access_token}` } })).text();
  assert.equal(r.text, direct);
  assert.equal(r.json.items.length, 5);
  const sent = (await s.box.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/users');
  assert.deepEqual(sent.map((/** @type {any} */ q) => [q.method, q.query.limit, q.query.offset]), [['GET', '5', '0'], ['GET', '5', '0']]);
  const crona = await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=1&pageSize=3`, undefined, { cookie, lease });
  assert.equal(crona.status, 200);
  assert.equal(crona.json.items.length, 3);
});

test('only the methods and paths the core uses pass; no request can name another host', async () => {
  const refused = [
    ['POST', `/relay/${s.id}/crona/api/v1/activate`, '{"activationCode":"x"}'],
    ['POST', `/relay/${s.id}/huma/auth/oauth/token`, '{}'],
    ['DELETE', `/relay/${s.id}/huma/users/abc`, undefined],
    ['GET', `/relay/${s.id}/huma/job-titles`, undefined],
    ['GET', `/relay/${s.id}/huma//evil.example/users`, undefined],
    ['GET', `/relay/${s.id}/huma`, undefined],
    ['GET', `/relay/${s.id}/payroll/users`, undefined],
  ];
  for (const [method, path, body] of refused) {
    const r = await s.call(/** @type {string} */ (method), /** @type {string} */ (path), body, { cookie, lease });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.equal(r.json.error.code, 'relay_not_allowed', `${method} ${path}`);
  }
  // fetch() would normalise an encoded "..": sent as written, it is refused before it leaves.
  for (const path of [`/relay/${s.id}/huma/users/%2e%2e`, `/relay/${s.id}/huma/users\\..\\..\\..\\..\\api\\session`, `/relay/${s.id}/huma/users/x%2F..%2Fgroups`, `/relay/${s.id}/huma/users/x%00`]) {
    const r = await raw(path, cookie);
    assert.deepEqual([r.status, r.json.error.code], [400, 'invalid_request'], path);
  }
  // A page elsewhere whose name was pointed at this machine (DNS rebinding) gets nothing.
  const rebound = await raw(`/relay/${s.id}/huma/users`, cookie, 'evil.example');
  assert.deepEqual([rebound.status, rebound.json.error.code], [421, 'unknown_host']);
  // Without the run's lease token the relay forwards nothing.
  for (const token of [undefined, 'not-the-lease']) {
    const r = await s.call('GET', `/relay/${s.id}/huma/users?limit=1&offset=0`, undefined, { cookie, lease: token });
    assert.deepEqual([r.status, r.json.error.code], [403, 'relay_needs_run']);
  }
  const unknown = await s.call('GET', '/relay/999/huma/users', undefined, { cookie, lease });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'not_found');
});

/**
 * A GET with the path exactly as written, under the run's lease.
 * @param {string} path @param {string} cookie @param {string} [host] @returns {Promise<{ status: number, json: any }>}
 */
function raw(path, cookie, host) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(s.svc.url);
    const req = request({ hostname, port, path, headers: { cookie, 'x-crona-sync-lease': lease, ...(host ? { host } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a write through the relay must come from the page itself', async () => {
  const user = (await s.call('GET', `/relay/${s.id}/huma/users?limit=1&offset=0`, undefined, { cookie, lease })).json.items[0];
  const before = (await s.box.inspect()).seq;
  for (const origin of [null, 'http://evil.example']) {
    const r = await s.call('PATCH', `/relay/${s.id}/huma/users/${user.id}`, { phone: '0701234567' }, { cookie, lease, origin });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'cross_origin_refused');
  }
  assert.deepEqual((await s.box.inspect(before)).writes, []);
  const big = await s.call('PATCH', `/relay/${s.id}/huma/users/${user.id}`, JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 1) }), { cookie, lease });
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'too_large');
  assert.deepEqual((await s.box.inspect(before)).writes, []);
});

for (const retryAfter of ['7', '0']) {
  test(`a rate limit (Retry-After: ${retryAfter}) reaches the page as it came; the relay itself sends once`, async () => {
    // The page's gate counts and paces every 429: one the service retried on its own would be hidden from it.
    await s.box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 429, retryAfter, count: 1 }]);
    const before = (await s.box.inspect()).seq;
    const r = await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=1&pageSize=1`, undefined, { cookie, lease });
    await s.box.clearFaults();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), retryAfter);
    assert.equal((await s.box.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/employees').length, 1);
  });
}

test('a rate-limited token request in the service reaches the page as a 429 with its Retry-After, not a 502', async () => {
  // A 502 would spend one of the page's retries (and fail a create at once), and never slow it down.
  await s.box.control('huma/revoke-tokens');
  await s.box.faults([{ system: 'huma', method: 'POST', path: '^/auth/oauth/token$', kind: 'status', status: 429, retryAfter: '1', count: 1 }]);
  const limited = await s.call('GET', `/relay/${s.id}/huma/users?limit=1&offset=0`, undefined, { cookie, lease });
  await s.box.clearFaults();
  assert.deepEqual([limited.status, limited.headers.get('retry-after'), limited.json.error.code], [429, '1', 'rate_limited']);
  const again = await s.call('GET', `/relay/${s.id}/huma/users?limit=1&offset=0`, undefined, { cookie, lease });
  assert.equal(again.status, 200, 'the next attempt gets a token and its answer');
});

test('a whole fetch through the relay under a steady throttle gives up on nothing and previews as without it', async () => {
  // Both ends hold a gate: the page's (whose retries and waits these are) and the service's.
  /** fetch with the page's session and origin, as a browser sends them. @type {typeof fetch} */
  const pageFetch = (input, init = {}) => fetch(input, { ...init, headers: { ...init.headers, cookie, origin: s.svc.url } });
  const headers = { 'x-crona-sync-lease': lease };
  /** Through the relay, with fresh page transports. */
  const fetchRelayed = () => fetchAll({
    huma: relayTransport({ baseUrl: `${s.svc.url}/relay/${s.id}/huma`, system: 'huma', fetch: pageFetch, headers }),
    crona: relayTransport({ baseUrl: `${s.svc.url}/relay/${s.id}/crona`, system: 'crona', fetch: pageFetch, headers }),
  });
  const plain = await fetchRelayed();
  const since = (await s.box.inspect()).seq;
  await s.box.faults([{ system: 'any', kind: 'throttle', perSecond: Math.ceil(plain.answers.length / 3) }]);
  const throttled = await fetchRelayed();
  await s.box.clearFaults();
  const limited = (await s.box.inspect(since)).requests.filter((/** @type {any} */ r) => r.status === 429);
  assert.ok(limited.length > 0, 'the throttle answered 429s');
  assert.deepEqual(throttled.answers.filter((r) => r.error).map((r) => `${r.id} ${r.status} ${r.error?.code}: ${r.error?.message}`), [], 'no request gave up');
  assert.equal(throttled.answers.reduce((n, r) => n + (r.rateLimited ?? 0), 0), limited.length, 'each 429 reached the page once, and was waited out there');
  assert.deepEqual(throttled.preview, plain.preview);
});

test('a revoked Huma token and a refused Crona key are renewed in the service; the code is exchanged again only then', async () => {
  const activations = async (/** @type {number} */ since) => (await s.box.inspect(since)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/activate').length;
  const before = (await s.box.inspect()).seq;
  await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=1&pageSize=1`, undefined, { cookie, lease });
  await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=2&pageSize=1`, undefined, { cookie, lease });
  assert.equal(await activations(before), 0, 'the key from the save is used; the code is not exchanged again');
  await s.box.control('huma/revoke-tokens');
  const huma = await s.call('GET', `/relay/${s.id}/huma/users?limit=1&offset=0`, undefined, { cookie, lease });
  assert.equal(huma.status, 200);
  await s.box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 401, count: 1 }]);
  const crona = await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=1&pageSize=1`, undefined, { cookie, lease });
  await s.box.clearFaults();
  assert.equal(crona.status, 200);
  assert.equal(await activations(before), 1);
});

test('no secret is ever in an answer, and none is in the data directory in clear', async () => {
  const answers = [
    await s.call('GET', '/api/connections', undefined, { cookie }),
    await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie }),
    await s.call('GET', `/relay/${s.id}/huma/users?limit=50&offset=0`, undefined, { cookie, lease }),
    await s.call('GET', `/relay/${s.id}/crona/api/v1/employees?page=1&pageSize=50`, undefined, { cookie, lease }),
  ];
  for (const a of answers) {
    const everything = a.text + JSON.stringify([...a.headers]);
    for (const secret of secrets()) assert.ok(!everything.includes(secret), 'a secret in an answer');
    assert.ok(!/authorization|access_token|set-cookie/i.test(JSON.stringify([...a.headers])));
  }
  assert.deepEqual(Object.keys(answers[1].json.connection).sort(), ['activatedAt', 'active', 'crona', 'group', 'huma', 'id', 'lastError', 'lastPush', 'lastSync', 'lease', 'mail', 'name', 'runs', 'schedule', 'stateVersion', 'webhooks']);
  s.store.db.pragma('wal_checkpoint(TRUNCATE)');
  for (const file of readdirSync(s.dir)) {
    if (file === 'secret.key') continue;
    const bytes = readFileSync(join(s.dir, file)).toString('latin1');
    for (const secret of secrets()) assert.ok(!bytes.includes(secret), `a secret in ${file}`);
  }
});

test('while a run holds the connection, it can be neither edited nor removed', async () => {
  const put = await s.call('PUT', `/api/connections/${s.id}`, { name: 'Renamed', huma: { baseUrl: s.box.humaUrl, clientId: s.credentials.huma.clientId }, crona: { baseUrl: s.box.cronaUrl }, group: null }, { cookie });
  assert.deepEqual([put.status, put.json.error.code, put.json.error.details.holder], [409, 'locked', 'anna (page)']);
  const del = await s.call('DELETE', `/api/connections/${s.id}`, undefined, { cookie });
  assert.deepEqual([del.status, del.json.error.code], [409, 'locked']);
  assert.equal(s.store.connection(s.id)?.name, 'Sandbox');
});

test('only the page that started a run renews or finishes it', async () => {
  for (const token of [undefined, 'guess']) {
    const renew = await s.call('POST', `/api/connections/${s.id}/runs/${run.run.id}/lease`, { token }, { cookie });
    assert.deepEqual([renew.status, renew.json.error.code], [403, 'not_your_run']);
    const finish = await s.call('POST', `/api/connections/${s.id}/runs/${run.run.id}/finish`, { token, outcome: 'cancelled', summary: 'not mine' }, { cookie });
    assert.deepEqual([finish.status, finish.json.error.code], [403, 'not_your_run']);
  }
  assert.equal(s.store.run(run.run.id)?.finishedAt, null);
  const done = await run.end();
  assert.equal(done.status, 200);
  const twice = await run.end();
  assert.deepEqual([twice.status, twice.json.error.code], [409, 'run_finished']);
  assert.equal(s.store.lease(s.id), null);
});

test('one run at a time: the lease names its holder, is renewed, and is released when the run finishes', async () => {
  const start = await s.call('POST', `/api/connections/${s.id}/runs`, { kind: 'sync' }, { cookie });
  assert.equal(start.status, 201);
  assert.equal(start.json.state.version, 0);
  assert.equal(start.json.state.state, null);
  assert.match(start.json.baselineKey, /^[0-9a-f]{64}$/);
  assert.equal(start.json.company.companyName, 'Exempel Bygg AB');
  const again = await s.call('POST', `/api/connections/${s.id}/runs`, { kind: 'push' }, { cookie });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'locked');
  assert.equal(again.json.error.details.holder, 'anna (page)');
  const shown = await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie });
  assert.equal(shown.json.connection.lease.holder, 'anna (page)');
  const removed = await s.call('DELETE', `/api/connections/${s.id}`, undefined, { cookie });
  assert.equal(removed.status, 409);
  const run = start.json.run.id;
  const renewed = await s.call('POST', `/api/connections/${s.id}/runs/${run}/lease`, { token: start.json.lease.token }, { cookie });
  assert.equal(renewed.status, 200);
  const wrong = await s.call('POST', `/api/connections/${s.id}/runs/${run}/lease`, { token: 'not-it' }, { cookie });
  assert.equal(wrong.json.error.code, 'not_your_run');
  const nextState = { activatedAt: '2026-12-03T10:00:00.000Z', pairs: [{ humaId: 'h1', anstNr: '1001' }], baseline: {}, connection: start.json.identity };
  // The version the run started from is the service's record, not the page's word.
  const done = await s.call('POST', `/api/connections/${s.id}/runs/${run}/finish`, { token: start.json.lease.token, outcome: 'failed', summary: '1 updated, 1 failed', report: { summary: { text: '1 updated, 1 failed' } }, errors: [{ code: 'write_failed', message: 'Crona said no' }], nextState, basedOn: 99 }, { cookie });
  assert.deepEqual([done.status, done.json], [200, { stateVersion: 1 }]);
  const after = (await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie })).json.connection;
  assert.equal(after.lease, null);
  assert.equal(after.active, true);
  assert.equal(after.stateVersion, 1);
  assert.deepEqual(after.lastError && [after.lastError.code, after.lastError.message], ['write_failed', 'Crona said no']);
  assert.deepEqual(after.runs.map((/** @type {any} */ r) => [r.kind, r.startedBy, r.outcome, r.summary]).slice(0, 1), [['sync', 'anna', 'failed', '1 updated, 1 failed']]);
  const report = await s.call('GET', `/api/connections/${s.id}/runs/${run}`, undefined, { cookie });
  assert.deepEqual(report.json.report, { summary: { text: '1 updated, 1 failed' } });
});

test('a state saved over a newer one is refused and explained; the run is recorded all the same', async () => {
  const a = (await s.call('POST', `/api/connections/${s.id}/runs`, { kind: 'sync' }, { cookie })).json;
  assert.equal(a.state.version, 1);
  assert.deepEqual(a.state.state.pairs, [{ humaId: 'h1', anstNr: '1001' }]);
  // Someone else saved meanwhile (the command line, say).
  s.store.saveState(s.id, { ...a.state.state, pairs: [] }, 1);
  const r = await s.call('POST', `/api/connections/${s.id}/runs/${a.run.id}/finish`, { token: a.lease.token, outcome: 'done', summary: 'nothing to do', nextState: a.state.state, basedOn: 1 }, { cookie });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'state_conflict');
  assert.match(r.json.error.message, /^The writes are done and recorded, but the sync state wasn't saved: .*started from version 1; another run saved version 2/);
  assert.deepEqual(s.store.state(s.id).state.pairs, []);
  const run = s.store.run(a.run.id);
  assert.equal(run?.outcome, 'done');
  assert.equal(s.store.lease(s.id), null);
  assert.equal(s.store.errors(s.id, 1)[0].code, 'state_conflict');
});

test('a run that lost its lease to another run is recorded, but its state is not saved', async () => {
  const a = (await s.call('POST', `/api/connections/${s.id}/runs`, { kind: 'sync' }, { cookie })).json;
  // The lease runs out (a tab asleep) and the command line takes the connection.
  s.store.db.prepare('UPDATE leases SET expires_at = ? WHERE connection_id = ?').run('2000-01-01T00:00:00.000Z', s.id);
  const cli = s.store.takeLease(s.id, 'crona-sync sync on the command line (process 1)', 60_000);
  const version = s.store.state(s.id).version;
  const r = await s.call('POST', `/api/connections/${s.id}/runs/${a.run.id}/finish`, { token: a.lease.token, outcome: 'done', summary: 'late', nextState: a.state.state, basedOn: a.state.version }, { cookie });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'lease_lost');
  assert.equal(s.store.state(s.id).version, version);
  assert.equal(s.store.run(a.run.id)?.outcome, 'done');
  assert.equal(s.store.lease(s.id)?.holder, 'crona-sync sync on the command line (process 1)', 'the other run keeps its lease');
  s.store.releaseLease(s.id, cli);
});

test('a run whose lease ran out without a finish is closed as stopped, not left "running"', async () => {
  const a = await s.begin(cookie, 'push');
  // The tab closed without a word: nothing renews the lease, and it runs out.
  s.store.db.prepare('UPDATE leases SET expires_at = ? WHERE connection_id = ?').run('2000-01-01T00:00:00.000Z', s.id);
  const shown = (await s.call('GET', `/api/connections/${s.id}`, undefined, { cookie })).json.connection;
  assert.equal(shown.lease, null);
  const run = shown.runs.find((/** @type {any} */ r) => r.id === a.run.id);
  assert.deepEqual([run.kind, run.outcome, run.summary], ['push', 'stopped', 'Stopped without a report: its lease ran out (a closed tab, a lost connection or a stopped process). Run a sync to see where things stand.']);
  assert.ok(run.finishedAt);
});

test('an answer that redirects elsewhere is not followed: nothing is sent to the other host', async () => {
  /** @type {string[]} */
  const seen = [];
  const elsewhere = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('{}');
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (elsewhere.address()).port;
  const moving = createServer((req, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:${port}/stolen${req.url}` });
    res.end();
  });
  await new Promise((resolve) => moving.listen(0, '127.0.0.1', () => resolve(undefined)));
  const movingUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (moving.address()).port}`;
  try {
    const r = await s.call('POST', '/api/connections', { name: 'Flyttad', huma: { baseUrl: `${movingUrl}/huma`, clientId: 'id', clientSecret: 'a-secret-that-must-stay' }, crona: { baseUrl: `${movingUrl}/crona`, activationCode: 'A-CODE-THAT-MUST-STAY' }, group: null }, { cookie });
    assert.equal(r.status, 502);
    assert.match(r.json.error.code, /^(huma|crona)_unavailable$/);
    assert.deepEqual(seen, []);
  } finally {
    moving.close();
    elsewhere.close();
  }
});
