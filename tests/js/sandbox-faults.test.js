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

// Listing faults: a paged listing that misbehaves. Each expectation is computed from the same listing read
// without faults, so the tests say exactly which items a faulted page holds.

/** @param {any} r @returns {string[]} */
const userIds = (r) => r.body.items.map((/** @type {any} */ u) => u.id);
/** @param {any} r @returns {string[]} */
const anstNrs = (r) => r.body.items.map((/** @type {any} */ e) => e.AnstNr);

/** Every Huma user id and Crona AnstNr in listing order, read without faults (call before adding rules). */
async function listings() {
  const huma = (await api.allHumaUsers()).map((u) => /** @type {string} */ (u.id));
  const crona = (await api.allEmployees()).map((e) => /** @type {string} */ (e.AnstNr));
  assert.ok(huma.length >= 38 && crona.length >= 36, 'enough people for three pages of ten');
  return { huma, crona };
}

/** The `fault` labels of the API requests after `seq`. @param {number} seq */
async function faultLabels(seq) {
  const { requests } = (await api.control(`inspect?data=false&since=${seq}`)).body;
  return requests.map((/** @type {any} */ r) => r.fault ?? null);
}

/** The log's sequence number now. */
async function seqNow() {
  return /** @type {number} */ ((await api.control('inspect?data=false')).body.seq);
}

test('listing short: the page loses its last item, the total stays (Huma and Crona)', async () => {
  const all = await listings();
  await faults([{ system: 'huma', kind: 'listing', mutate: 'short' }, { system: 'crona', kind: 'listing', mutate: 'short' }]);
  const seq = await seqNow();
  const h = await api.huma('/users?limit=10&offset=10');
  assert.equal(h.status, 200);
  assert.deepEqual(userIds(h), all.huma.slice(10, 19));
  assert.equal(h.body.total, all.huma.length);
  assert.deepEqual([h.body.filters, h.body.meta], [{}, {}], 'the rest of the page is as served');
  const c = await api.crona('/api/v1/employees?page=2&pageSize=10');
  assert.equal(c.status, 200);
  assert.deepEqual(anstNrs(c), all.crona.slice(10, 19));
  assert.deepEqual([c.body.page, c.body.pageSize, c.body.total], [2, 10, all.crona.length]);
  assert.deepEqual(await faultLabels(seq), ['listing:short', 'listing:short']);
  const rules = (await api.control('faults')).body.rules;
  assert.deepEqual(rules.map((/** @type {any} */ r) => [r.matched, r.hits]), [[1, 1], [1, 1]]);
});

test('listing empty: the page has no items, the total stays (Huma and Crona)', async () => {
  const all = await listings();
  await faults([{ system: 'any', kind: 'listing', mutate: 'empty' }]);
  const seq = await seqNow();
  const h = await api.huma('/users?limit=10&offset=0');
  assert.deepEqual(h.body, { total: all.huma.length, items: [], filters: {}, meta: {} });
  const c = await api.crona('/api/v1/employees?page=1&pageSize=10');
  assert.deepEqual(c.body, { items: [], page: 1, pageSize: 10, total: all.crona.length });
  assert.deepEqual(await faultLabels(seq), ['listing:empty', 'listing:empty']);
});

test('listing cap: the server serves the page as if the page size were cap; a client that follows it reads everything', async () => {
  const all = await listings();
  await faults([{ system: 'crona', kind: 'listing', mutate: 'cap' }, { system: 'huma', kind: 'listing', mutate: 'cap', cap: 7 }]);
  const seq = await seqNow();
  // Crona, default cap 10: page 2 at pageSize 10, not the second half of a page of 25
  const c = await api.crona('/api/v1/employees?page=2&pageSize=25');
  assert.deepEqual(anstNrs(c), all.crona.slice(10, 20));
  assert.deepEqual([c.body.page, c.body.pageSize, c.body.total], [2, 10, all.crona.length]);
  // Huma, cap 7: the offset is honoured, seven items from it
  const h = await api.huma('/users?limit=25&offset=30');
  assert.deepEqual(userIds(h), all.huma.slice(30, 37));
  assert.equal(h.body.total, all.huma.length);
  assert.deepEqual(await faultLabels(seq), ['listing:cap', 'listing:cap']);

  // a page size within the cap is served as asked: no hit, no label
  const before = await seqNow();
  assert.deepEqual(anstNrs(await api.crona('/api/v1/employees?page=3&pageSize=5')), all.crona.slice(10, 15));
  assert.deepEqual(await faultLabels(before), [null]);
  assert.deepEqual((await api.control('faults')).body.rules.map((/** @type {any} */ r) => [r.matched, r.hits]), [[2, 1], [1, 1]]);

  // following the cap: Crona's served pageSize for the next pages, Huma's offset advanced by what came
  /** @type {string[]} */
  const nrs = [];
  let size = 50;
  for (let page = 1; ; page++) {
    const r = await api.crona(`/api/v1/employees?page=${page}&pageSize=${size}`);
    nrs.push(...anstNrs(r));
    size = r.body.pageSize;
    if (r.body.items.length < size) break;
  }
  assert.equal(size, 10);
  assert.deepEqual(nrs, all.crona);
  /** @type {string[]} */
  const ids = [];
  for (let offset = 0; offset < all.huma.length;) {
    const r = await api.huma(`/users?limit=50&offset=${offset}`);
    assert.ok(r.body.items.length <= 7);
    ids.push(...userIds(r));
    offset += r.body.items.length;
  }
  assert.deepEqual(ids, all.huma);
});

test('listing total: the page reports total + 1, the items stay (Huma and Crona)', async () => {
  const all = await listings();
  await faults([{ system: 'any', kind: 'listing', mutate: 'total' }]);
  const h = await api.huma('/users?limit=10&offset=20');
  assert.deepEqual(userIds(h), all.huma.slice(20, 30));
  assert.equal(h.body.total, all.huma.length + 1);
  const c = await api.crona('/api/v1/employees?page=3&pageSize=10');
  assert.deepEqual(anstNrs(c), all.crona.slice(20, 30));
  assert.deepEqual([c.body.page, c.body.pageSize, c.body.total], [3, 10, all.crona.length + 1]);
});

test('listing duplicate: the first item becomes a copy of the previous page\'s last; on the first page the second becomes the first', async () => {
  const all = await listings();
  const prevUser = (await api.huma('/users?limit=1&offset=9')).body.items[0];
  const prevEmployee = (await api.crona('/api/v1/employees?page=10&pageSize=1')).body.items[0];
  assert.equal(prevEmployee.AnstNr, all.crona[9]);
  await faults([{ system: 'any', kind: 'listing', mutate: 'duplicate' }]);
  const seq = await seqNow();
  const h2 = await api.huma('/users?limit=10&offset=10');
  assert.deepEqual(userIds(h2), [all.huma[9], ...all.huma.slice(11, 20)]);
  assert.deepEqual(h2.body.items[0], prevUser, 'a whole copy of the item, not just its id');
  assert.equal(h2.body.total, all.huma.length);
  const h1 = await api.huma('/users?limit=10&offset=0');
  assert.deepEqual(userIds(h1), [all.huma[0], all.huma[0], ...all.huma.slice(2, 10)]);
  const c2 = await api.crona('/api/v1/employees?page=2&pageSize=10');
  assert.deepEqual(anstNrs(c2), [all.crona[9], ...all.crona.slice(11, 20)]);
  assert.deepEqual(c2.body.items[0], prevEmployee);
  assert.deepEqual([c2.body.page, c2.body.pageSize, c2.body.total], [2, 10, all.crona.length]);
  const c1 = await api.crona('/api/v1/employees?page=1&pageSize=10');
  assert.deepEqual(anstNrs(c1), [all.crona[0], all.crona[0], ...all.crona.slice(2, 10)]);
  assert.deepEqual(await faultLabels(seq), ['listing:duplicate', 'listing:duplicate', 'listing:duplicate', 'listing:duplicate']);
});

test('listing rules reach the positions listing and never another request', async () => {
  const all = await listings();
  /** @type {{ id: string, positions: any } | null} */
  let found = null;
  for (const id of all.huma) {
    const r = await api.huma(`/users/${id}/positions`);
    if (r.body.total >= 2) {
      found = { id, positions: r.body };
      break;
    }
  }
  assert.ok(found, 'someone has two positions');
  const user = (await api.huma(`/users/${found.id}`)).body;
  const employee = (await api.crona(`/api/v1/employees/${all.crona[0]}`)).body;
  const groups = (await api.huma('/groups')).body;
  await faults([{ system: 'any', kind: 'listing', mutate: 'short' }]);
  assert.deepEqual((await api.huma(`/users/${found.id}`)).body, user);
  assert.deepEqual((await api.crona(`/api/v1/employees/${all.crona[0]}`)).body, employee);
  assert.deepEqual((await api.huma('/groups')).body, groups);
  assert.equal((await api.control('faults')).body.rules[0].matched, 0, 'other requests are not even considered');
  const p = await api.huma(`/users/${found.id}/positions`);
  assert.deepEqual(p.body, { ...found.positions, items: found.positions.items.slice(0, -1) });
  const [rule] = (await api.control('faults')).body.rules;
  assert.deepEqual([rule.matched, rule.hits], [1, 1]);
});

test('query narrows a rule to a page: a rule on page 2 leaves pages 1 and 3 alone; it works for the other kinds too', async () => {
  const all = await listings();
  await faults([
    { system: 'crona', kind: 'listing', mutate: 'empty', query: { page: '2' } },
    { system: 'huma', kind: 'listing', mutate: 'short', query: { offset: '20' } },
  ]);
  const pages = [];
  for (const page of [1, 2, 3]) pages.push(anstNrs(await api.crona(`/api/v1/employees?page=${page}&pageSize=10`)));
  assert.deepEqual(pages, [all.crona.slice(0, 10), [], all.crona.slice(20, 30)]);
  const offsets = [];
  for (const offset of [0, 10, 20, 30]) offsets.push(userIds(await api.huma(`/users?limit=10&offset=${offset}`)));
  assert.deepEqual(offsets, [all.huma.slice(0, 10), all.huma.slice(10, 20), all.huma.slice(20, 29), all.huma.slice(30, 40)]);
  assert.deepEqual((await api.control('faults')).body.rules.map((/** @type {any} */ r) => [r.matched, r.hits]), [[1, 1], [1, 1]]);
  assert.deepEqual(anstNrs(await api.crona('/api/v1/employees?pageSize=10&page=2&page=9')), [], 'a repeated parameter matches on any of its values');

  await api.control('faults', undefined, 'DELETE');
  await faults([{ system: 'huma', path: '^/users$', query: { offset: '10', limit: '10' }, kind: 'status', status: 503 }]);
  assert.equal((await api.huma('/users?limit=10&offset=10')).status, 503);
  assert.equal((await api.huma('/users?limit=10&offset=0')).status, 200);
  // the values are compared as the request sent them: the default limit (25) doesn't fill in an absent one
  assert.equal((await api.huma('/users?offset=10')).status, 200, 'every listed parameter must be there');
});

test('listing rules consider only successful listing answers: count, faults before them, a mutation with nothing to change', async () => {
  const all = await listings();
  await faults([
    { system: 'huma', kind: 'status', status: 503, count: 1 },
    { system: 'huma', kind: 'listing', mutate: 'short', count: 1 },
  ]);
  assert.equal((await api.huma('/users?limit=10&offset=0')).status, 503, 'the status fault answers, the listing rule waits');
  assert.equal((await api.huma('/users?limit=500&offset=0')).status, 400, 'a failed listing is no match either');
  assert.deepEqual(userIds(await api.huma('/users?limit=10&offset=0')), all.huma.slice(0, 9));
  assert.deepEqual(userIds(await api.huma('/users?limit=10&offset=0')), all.huma.slice(0, 10), 'count 1: once');
  const listed = (await api.control('faults')).body.rules[1];
  assert.deepEqual([listed.matched, listed.hits, listed.remaining], [1, 1, 0]);

  // short past the end has nothing to remove: matched, no hit, no label
  await api.control('faults', undefined, 'DELETE');
  await faults([{ system: 'crona', kind: 'listing', mutate: 'short' }]);
  const seq = await seqNow();
  const r = await api.crona('/api/v1/employees?page=99&pageSize=10');
  assert.deepEqual(r.body, { items: [], page: 99, pageSize: 10, total: all.crona.length });
  assert.deepEqual(await faultLabels(seq), [null]);
  const [rule] = (await api.control('faults')).body.rules;
  assert.deepEqual([rule.matched, rule.hits], [1, 0]);
});

test('invalid listing rules are refused with 400 and a message that says why', async () => {
  /** @type {[object, RegExp][]} */
  const cases = [
    [{ kind: 'listing' }, /rules\[1\]: a listing fault needs mutate: short, empty, cap, total, duplicate/],
    [{ kind: 'listing', mutate: 'shuffle' }, /rules\[1\]: mutate must be one of short, empty, cap, total, duplicate/],
    [{ kind: 'listing', mutate: 'cap', cap: 0 }, /cap must be an integer in 1\.\./],
    [{ kind: 'listing', mutate: 'cap', cap: 2.5 }, /cap must be an integer/],
    [{ kind: 'listing', mutate: 'cap', cap: '10' }, /cap must be an integer/],
    [{ kind: 'listing', mutate: 'short', cap: 5 }, /cap goes with mutate cap/],
    [{ kind: 'status', status: 500, mutate: 'short' }, /mutate goes with kind listing/],
    [{ kind: 'listing', mutate: 'short', query: 'page=2' }, /query must be an object of strings/],
    [{ kind: 'listing', mutate: 'short', query: { page: 2 } }, /query must be an object of strings/],
    [{ kind: 'drop', query: ['page'] }, /query must be an object of strings/],
  ];
  for (const [rule, message] of cases) {
    const r = await api.control('faults', { rules: [{ kind: 'listing', mutate: 'total' }, rule] });
    assert.equal(r.status, 400, JSON.stringify(rule));
    assert.match(r.body.error, message);
  }
  assert.deepEqual((await api.control('faults')).body.rules, []);
});
