// The sandbox's fault switches and controls, over real HTTP: status, Retry-After, drop, latency, count,
// seeded probability, the token-bucket throttle, settings, inspection and reset.
import assert from 'node:assert/strict';
import { test, after, beforeEach } from 'node:test';
import { startSandbox } from '../sandbox/index.js';
import { call, clients } from '../sandbox/client.js';

const box = await startSandbox({ people: 40 });
after(() => box.close());
const api = clients(box);

beforeEach(async () => {
  await api.control('faults', undefined, 'DELETE');
});

/** @param {object[]} rules */
async function faults(rules) {
  const r = await api.control('faults', { rules });
  assert.equal(r.status, 200, r.text);
  return r.body.rules;
}

/** Warm both credentials before a rule could hit the token or activation exchange. */
async function warm() {
  assert.equal((await api.huma('/users?limit=1')).status, 200);
  assert.equal((await api.crona('/api/v1/employees?pageSize=1')).status, 200);
}

test('a status fault answers with that status in Huma\'s Spring error shape', async () => {
  await warm();
  await faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status: 503 }]);
  const r = await api.huma('/users?limit=1');
  assert.equal(r.status, 503);
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'path', 'status', 'timestamp']);
  assert.equal(r.body.status, 503);
  assert.equal(r.body.error, 'Service Unavailable');
  assert.equal(r.body.path, '/users');
  assert.ok(!Number.isNaN(Date.parse(r.body.timestamp)));
});

test('a status fault on Crona uses Crona\'s error shape and can carry Retry-After', async () => {
  await warm();
  await faults([{ system: 'crona', kind: 'status', status: 429, retryAfter: 7 }]);
  const r = await api.crona('/api/v1/employees');
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '7');
  assert.equal(r.body.error.code, 'rate_limited');
  assert.equal(typeof r.body.error.message, 'string');
  assert.equal((await api.huma('/users?limit=1')).status, 200, 'a crona rule leaves Huma alone');
});

test('a 401 fault on Huma looks like an invalid token', async () => {
  await warm();
  await faults([{ system: 'huma', kind: 'status', status: 401, count: 1 }]);
  const r = await api.huma('/users?limit=1');
  assert.equal(r.status, 401);
  assert.equal(r.body.error, 'invalid_token');
});

test('drop destroys the socket without a response, and the log says so', async () => {
  await warm();
  const { seq } = (await api.control('inspect?data=false')).body;
  await faults([{ system: 'crona', path: '^/api/v1/employees$', kind: 'drop', count: 1 }]);
  await assert.rejects(api.crona('/api/v1/employees'), TypeError);
  const { requests } = (await api.control(`inspect?data=false&since=${seq}`)).body;
  const dropped = requests.find((/** @type {any} */ r) => r.fault === 'drop');
  assert.ok(dropped);
  assert.equal(dropped.status, null);
  assert.equal((await api.crona('/api/v1/employees')).status, 200, 'count 1: the next one goes through');
});

test('latency delays the answer by latencyMs', async () => {
  await warm();
  await faults([{ system: 'huma', kind: 'latency', latencyMs: 300 }]);
  const t0 = Date.now();
  const r = await api.huma('/users?limit=1');
  const slow = Date.now() - t0;
  assert.equal(r.status, 200);
  assert.ok(slow >= 290, `took ${slow} ms`);
  await api.crona('/api/v1/employees?pageSize=1');
  // Only the Huma request matched the rule: the Crona one wasn't slowed (no upper time bound,
  // which a busy machine would break).
  const [rule] = (await api.control('faults')).body.rules;
  assert.equal(rule.matched, 1, 'crona is not slowed');
});

test('count limits a rule to the next N matching requests; GET /faults shows the counters', async () => {
  await warm();
  await faults([{ system: 'huma', method: 'GET', path: '^/users', kind: 'status', status: 500, count: 2 }]);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await api.huma('/users?limit=1')).status);
  assert.deepEqual(statuses, [500, 500, 200, 200]);
  const [rule] = (await api.control('faults')).body.rules;
  assert.equal(rule.hits, 2);
  assert.equal(rule.matched, 2);
  assert.equal(rule.remaining, 0);
});

test('method and path narrow a rule: a PATCH rule leaves GETs alone; the path is matched without the prefix', async () => {
  await warm();
  await faults([{ system: 'any', method: 'PATCH', path: '^/users/[^/]+$', kind: 'status', status: 502 }]);
  const [u] = (await api.huma('/users?limit=1')).body.items;
  assert.equal((await api.huma(`/users/${u.id}`)).status, 200);
  assert.equal((await api.huma(`/users/${u.id}`, { method: 'PATCH', body: {} })).status, 502);
  assert.equal((await api.huma(`/users/${u.id}/positions`)).status, 200);
});

test('probability draws from a PRNG seeded by the rule: same seed, same pattern; another seed, another', async () => {
  await warm();
  /** @param {number} seed */
  const pattern = async (seed) => {
    await api.control('faults', undefined, 'DELETE');
    await faults([{ system: 'crona', kind: 'status', status: 503, probability: 0.5, seed }]);
    let s = '';
    for (let i = 0; i < 24; i++) s += (await api.crona('/api/v1/employees?pageSize=1')).status === 503 ? 'x' : '.';
    return s;
  };
  const a = await pattern(7);
  const b = await pattern(7);
  const c = await pattern(8);
  assert.equal(a, b);
  assert.notEqual(a, c);
  const hits = a.split('').filter((ch) => ch === 'x').length;
  assert.ok(hits > 3 && hits < 21, `about half fail: ${a}`);
});

test('throttle is a token bucket: a burst of perSecond passes, the rest get 429 + Retry-After, then it refills', async () => {
  await warm();
  await faults([{ system: 'huma', kind: 'throttle', perSecond: 2 }]);
  const replies = await Promise.all(Array.from({ length: 6 }, () => api.huma('/users?limit=1')));
  const limited = replies.filter((r) => r.status === 429);
  assert.equal(replies.filter((r) => r.status === 200).length, 2);
  assert.equal(limited.length, 4);
  for (const r of limited) {
    assert.equal(r.headers.get('retry-after'), '1', 'an empty bucket at 2/s has a token within a second');
    assert.equal(r.body.status, 429);
  }
  // 0.6 s at 2/s refills 1.2 tokens: one of three passes (margin: 0.4 s of scheduling delay)
  await new Promise((res) => setTimeout(res, 600));
  const later = await Promise.all(Array.from({ length: 3 }, () => api.huma('/users?limit=1')));
  assert.equal(later.filter((r) => r.status === 200).length, 1);
  await new Promise((res) => setTimeout(res, 1100));
  const refilled = await Promise.all(Array.from({ length: 2 }, () => api.huma('/users?limit=1')));
  assert.ok(refilled.every((r) => r.status === 200), 'a full second refills the bucket');
  const [rule] = (await api.control('faults')).body.rules;
  assert.equal(rule.hits, 6, 'every 429 counts as a hit');
});

test('faults can hit the token endpoint too; DELETE clears every rule', async () => {
  await faults([{ system: 'huma', path: '^/auth/oauth/token$', kind: 'status', status: 500 }]);
  await assert.rejects(api.humaToken(), /token: 500/);
  assert.deepEqual((await api.control('faults', undefined, 'DELETE')).body.rules, []);
  assert.deepEqual((await api.control('faults')).body.rules, []);
  assert.equal(typeof (await api.humaToken()), 'string');
});

test('invalid rules are refused with 400 and none of the batch is added', async () => {
  for (const rule of [{ kind: 'explode' }, { system: 'sap', kind: 'drop' }, { kind: 'status' }, { kind: 'throttle' }, { kind: 'drop', path: '(' }, { kind: 'drop', probability: 2 }, { kind: 'drop', colour: 'red' }]) {
    const r = await api.control('faults', { rules: [{ kind: 'drop' }, rule] });
    assert.equal(r.status, 400, JSON.stringify(rule));
    assert.equal(typeof r.body.error, 'string');
  }
  assert.deepEqual((await api.control('faults')).body.rules, []);
});

test('settings.latencyMs slows every API call; bad settings are 400', async () => {
  await warm();
  assert.equal((await api.control('settings', { latencyMs: 200 })).body.latencyMs, 200);
  try {
    const t0 = Date.now();
    await api.crona('/api/v1/employees?pageSize=1');
    assert.ok(Date.now() - t0 >= 190);
  } finally {
    await api.control('settings', { latencyMs: 0 });
  }
  for (const s of [{ latencyMs: -1 }, { tokenTtlSeconds: 0 }, { emailChange: 'later' }, { colour: 1 }]) {
    assert.equal((await api.control('settings', s)).status, 400, JSON.stringify(s));
  }
  assert.deepEqual((await api.control('settings')).body, { tokenTtlSeconds: 3600, emailChange: 'immediate', latencyMs: 0 });
});

test('inspect logs every API request and, for writes, the parsed body; ?since returns only newer entries', async () => {
  await warm();
  const { seq } = (await api.control('inspect?data=false')).body;
  const [u] = (await api.huma('/users?limit=1&team=' + (await api.huma('/users?limit=1')).body.items[0].teams[0].id)).body.items;
  await api.huma(`/users/${u.id}`, { method: 'PATCH', body: { funfacts: 'Spelar nyckelharpa' } });
  const r = (await api.control(`inspect?since=${seq}`)).body;
  assert.deepEqual(r.requests.map((/** @type {any} */ e) => `${e.system} ${e.method} ${e.path} ${e.status}`), [
    'huma GET /users 200', 'huma GET /users 200', `huma PATCH /users/${u.id} 200`,
  ]);
  assert.ok(r.requests.every((/** @type {any} */ e) => e.seq > seq));
  assert.equal(r.requests[1].query.limit, '1');
  assert.deepEqual(r.writes.map((/** @type {any} */ w) => w.body), [{ funfacts: 'Spelar nyckelharpa' }]);
  assert.ok(Array.isArray(r.huma.users) && Array.isArray(r.huma.positions) && Array.isArray(r.huma.groups) && Array.isArray(r.huma.jobTitles));
  assert.ok(Array.isArray(r.crona.employees));
  assert.ok(Array.isArray(r.planted));
  assert.equal(r.settings.emailChange, 'immediate');
  assert.equal((await api.control('inspect?since=abc')).status, 400);
});

test('token and activation exchanges are logged as requests but not as writes', async () => {
  const { seq } = (await api.control('inspect?data=false')).body;
  await api.humaToken();
  await api.cronaKey();
  const r = (await api.control(`inspect?data=false&since=${seq}`)).body;
  assert.deepEqual(r.requests.map((/** @type {any} */ e) => e.path), ['/auth/oauth/token', '/api/v1/activate']);
  assert.deepEqual(r.writes, []);
});

test('reset regenerates the data for a new seed and clears logs and faults', async () => {
  const before = box.credentials;
  await faults([{ system: 'any', kind: 'drop' }]);
  const r = await api.control('reset', { seed: 2, people: 12 });
  assert.equal(r.status, 200);
  assert.equal(r.body.seed, 2);
  assert.equal(r.body.people, 12);
  assert.notEqual(r.body.credentials.huma.clientSecret, before.huma.clientSecret);
  assert.deepEqual(box.credentials, r.body.credentials, 'the in-process object follows');
  assert.deepEqual((await api.control('faults')).body.rules, []);
  const inspected = (await api.control('inspect')).body;
  assert.deepEqual(inspected.requests, []);
  assert.ok(inspected.huma.users.length <= 12);
  api.forget();
  assert.equal((await api.huma('/users?limit=0')).body.total, inspected.huma.users.length);
  assert.equal((await api.control('reset', { today: '2026-13-01' })).status, 400);
  assert.equal((await api.control('reset', { seed: 1, people: 40 })).body.seed, 1);
  assert.deepEqual(box.credentials, before, 'seed 1 again: the same credentials');
  api.forget();
});
