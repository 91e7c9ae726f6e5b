// The sandbox's Huma profile webhooks: configuration, the triggers (API writes and the HR-admin controls),
// Huma's signature and headers, delivery order, retries, and that a slow receiver never holds up the API.
import assert from 'node:assert/strict';
import { test, after, beforeEach } from 'node:test';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { startSandbox } from '../sandbox/index.js';
import { call, clients } from '../sandbox/client.js';

/**
 * One request the receiver got.
 * @typedef {{ method: string, path: string, headers: import('node:http').IncomingHttpHeaders, raw: Buffer, body: any, answered: boolean }} Hit
 */

/** A webhook receiver on 127.0.0.1: records every request, answers `statuses` in turn (then 200), or holds. */
async function startReceiver() {
  /** @type {Hit[]} */
  const hits = [];
  /** @type {number[]} */
  let statuses = [];
  let holding = false;
  /** @type {(() => void)[]} */
  let held = [];
  /** @type {{ n: number, resolve: () => void }[]} */
  let waiters = [];
  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      /** @type {Hit} */
      const hit = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')), answered: false };
      hits.push(hit);
      const status = statuses.shift() ?? 200;
      const reply = () => {
        hit.answered = true;
        res.writeHead(status).end();
      };
      if (holding) held.push(reply);
      else reply();
      waiters = waiters.filter((w) => (hits.length >= w.n ? (w.resolve(), false) : true));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    /** @param {number[]} list  the statuses of the next answers */
    answer(list) {
      statuses = [...list];
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const reply of held.splice(0)) reply();
    },
    /** Resolves once `n` requests have arrived in all. @param {number} n @returns {Promise<void>} */
    received(n) {
      return hits.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    reset() {
      this.release();
      hits.length = 0;
      statuses = [];
    },
    close() {
      this.release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

const SECRET = 'whsec-test-1';
const TOKEN = 'receiver-token-2';
const rx = await startReceiver();
const box = await startSandbox({ people: 40 });
const api = clients(box);
after(async () => {
  await box.close();
  await rx.close();
});

beforeEach(async () => {
  await box.webhooksIdle();
  box.reset();
  api.forget();
  rx.reset();
  box.setWebhooks({ url: rx.url, secret: SECRET, token: TOKEN });
});

/** The n-th active user no planted case uses (there are 5 with 40 people; every test starts from fresh data). @param {number} n */
async function plainUser(n) {
  const used = new Set(box.planted.flatMap((c) => [c.humaId, ...(c.humaIds ?? [])]));
  const all = await api.allHumaUsers();
  return all.filter((u) => !used.has(u.id) && u.status.active)[n];
}

/** What the receiver got once the sandbox is done sending: topic and body per request. */
async function delivered() {
  await box.webhooksIdle();
  return rx.hits.map((h) => h.body);
}

/** @param {string} id @param {unknown} body */
const patch = (id, body) => api.huma(`/users/${id}`, { method: 'PATCH', body });

test('POST /_sandbox/webhooks registers a receiver, GET shows it with secret and token hidden, DELETE removes it', async () => {
  box.clearWebhooks();
  const empty = await api.control('webhooks');
  assert.deepEqual(empty.body, { config: null, pending: 0, deliveries: [] });
  const set = await api.control('webhooks', { url: rx.url, secret: SECRET, token: TOKEN });
  assert.equal(set.status, 200, set.text);
  const expected = { url: rx.url, secret: '***', token: '***', encoding: 'hex', retries: 2, delayMs: 0 };
  assert.deepEqual(set.body.config, expected);
  assert.deepEqual((await api.control('webhooks')).body.config, expected);
  const bare = await api.control('webhooks', { url: rx.url, encoding: 'base64', retries: 0, delayMs: 5 });
  assert.deepEqual(bare.body.config, { url: rx.url, secret: null, token: null, encoding: 'base64', retries: 0, delayMs: 5 }, 'replaces the earlier one');
  const removed = await api.control('webhooks', undefined, 'DELETE');
  assert.equal(removed.status, 200);
  assert.equal(removed.body.config, null);
  assert.equal((await api.control('webhooks')).body.config, null);
});

test('a receiver that is not http:// on a loopback host is refused', async () => {
  const refused = ['http://example.com/hook', 'https://127.0.0.1/hook', 'http://10.0.0.1/hook', 'http://127.0.0.1.nip.io/hook',
    'ftp://localhost/hook', 'http://user:pw@127.0.0.1/hook', 'not a url', 42];
  for (const url of refused) {
    const r = await api.control('webhooks', { url });
    assert.equal(r.status, 400, String(url));
    assert.match(r.body.error, /loopback/, String(url));
    assert.throws(() => box.setWebhooks(/** @type {any} */ ({ url })), /loopback/);
  }
  for (const body of [{ url: rx.url, encoding: 'HEX' }, { url: rx.url, retries: -1 }, { url: rx.url, delayMs: 1.5 }, { url: rx.url, secret: '' }, { url: rx.url, colour: 'red' }, {}]) {
    const r = await api.control('webhooks', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(typeof r.body.error, 'string');
  }
  assert.equal((await api.control('webhooks')).body.config.url, rx.url, 'a refused configuration leaves the receiver as it was');
  await assert.rejects(startSandbox({ webhooks: { url: 'http://192.168.1.1/hook' } }), /loopback/);
  for (const url of ['http://localhost:1/hook', 'http://[::1]:1/hook']) {
    assert.equal((await api.control('webhooks', { url })).status, 200, url);
  }
});

test('PATCH /users/{id} sends users-update, signed in hex over the raw body, with the token and the topic header', async () => {
  const u = await plainUser(0);
  const r = await patch(u.id, { phone: '070-111 22 33' });
  assert.equal(r.status, 200, r.text);
  await box.webhooksIdle();
  assert.equal(rx.hits.length, 1);
  const [hit] = rx.hits;
  assert.ok(hit);
  assert.equal(hit.method, 'POST');
  assert.equal(hit.path, '/hook');
  assert.deepEqual(hit.body, { topic: 'users-update', users: [{ id: u.id, email: u.email }] });
  assert.equal(hit.headers['huma-topic'], 'users-update');
  assert.equal(hit.headers['huma-topic'], hit.body.topic);
  assert.match(String(hit.headers['content-type']), /^application\/json/);
  assert.equal(hit.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(hit.headers['huma-hmac-sha256'], createHmac('sha256', SECRET).update(hit.raw).digest('hex'));
  assert.match(String(hit.headers['huma-hmac-sha256']), /^[0-9a-f]{64}$/);
});

test('encoding base64 signs with standard base64 of the raw MAC', async () => {
  box.setWebhooks({ url: rx.url, secret: SECRET, encoding: 'base64' });
  const u = await plainUser(1);
  assert.equal((await patch(u.id, { preferredName: 'Bosse' })).status, 200);
  await box.webhooksIdle();
  const [hit] = rx.hits;
  assert.ok(hit);
  const mac = createHmac('sha256', SECRET).update(hit.raw).digest();
  assert.equal(hit.headers['huma-hmac-sha256'], mac.toString('base64'));
  assert.equal(Buffer.from(String(hit.headers['huma-hmac-sha256']), 'base64').length, 32);
  assert.equal(hit.headers.authorization, undefined, 'no token, no Authorization header');
});

test('without a secret or a token neither header is sent', async () => {
  box.setWebhooks({ url: rx.url });
  const u = await plainUser(2);
  assert.equal((await patch(u.id, { preferredName: 'Kalle' })).status, 200);
  await box.webhooksIdle();
  const [hit] = rx.hits;
  assert.ok(hit);
  assert.equal(hit.headers['huma-hmac-sha256'], undefined);
  assert.equal(hit.headers.authorization, undefined);
  assert.equal(hit.headers['huma-topic'], 'users-update');
});

test('the e-mail in the body is the user\'s work e-mail after the change', async () => {
  const u = await plainUser(3);
  assert.equal((await patch(u.id, { email: 'ny.adress@exempelbygg.se' })).status, 200);
  assert.deepEqual(await delivered(), [{ topic: 'users-update', users: [{ id: u.id, email: 'ny.adress@exempelbygg.se' }] }]);
});

test('POST /users sends users-create with the new user', async () => {
  const groups = (await api.huma('/groups?type=company&limit=25')).body.items;
  const r = await api.huma('/users', { body: { givenName: 'Märta', familyName: 'Öberg', email: 'marta.oberg@exempelbygg.se', groups: [groups[0].id] } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await delivered(), [{ topic: 'users-create', users: [{ id: r.body.id, email: 'marta.oberg@exempelbygg.se' }] }]);
});

test('creating, changing and deleting a position each send users-update for its user, in order', async () => {
  const u = await plainUser(4);
  const title = (await api.huma('/job-titles')).body[0];
  const created = await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01', contractType: 'Temporary', titleId: title.id } });
  assert.equal(created.status, 200, created.text);
  const path = `/users/${u.id}/positions/${created.body.id}`;
  assert.equal((await api.huma(path, { method: 'PATCH', body: { contractEndDate: '2027-06-30' } })).status, 200);
  assert.equal((await api.huma(path, { method: 'DELETE' })).status, 200);
  const update = { topic: 'users-update', users: [{ id: u.id, email: u.email }] };
  assert.deepEqual(await delivered(), [update, update, update]);
  const records = box.webhooks().deliveries;
  assert.deepEqual(records.map((d) => d.status), [200, 200, 200]);
  assert.ok(records.every((d, i) => i === 0 || d.seq > (records[i - 1]?.seq ?? 0)), 'sequence numbers follow the events');
});

test('failed writes send nothing: validation, unknown user, faults', async () => {
  const u = await plainUser(0);
  assert.equal((await patch(u.id, { shoeSize: 44 })).status, 400);
  assert.equal((await patch(u.id, { email: 'not an address' })).status, 400);
  assert.equal((await patch('99999999-9999-4999-8999-999999999999', { phone: '070-1' })).status, 404);
  assert.equal((await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01' } })).status, 400);
  box.addFaults([{ system: 'huma', method: 'PATCH', kind: 'status', status: 503 }]);
  assert.equal((await patch(u.id, { phone: '070-222 33 44' })).status, 503);
  assert.deepEqual(await delivered(), []);
  assert.deepEqual(box.webhooks().deliveries, []);
});

test('nothing is sent without a receiver, or after DELETE /_sandbox/webhooks', async () => {
  const u = await plainUser(0);
  assert.equal((await api.control('webhooks', undefined, 'DELETE')).status, 200);
  assert.equal((await patch(u.id, { preferredName: 'Ninni' })).status, 200);
  assert.deepEqual(await delivered(), []);
  assert.deepEqual(box.webhooks().deliveries, []);
});

test('control edit: an HR admin\'s change in Huma\'s UI, checked like PATCH, sends users-update', async () => {
  const u = await plainUser(0);
  const r = await api.control(`huma/users/${u.id}/edit`, { familyName: 'Gran', email: 'lisa.gran@exempelbygg.se' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.familyName.value, 'Gran', 'answers UserDetails like PATCH');
  assert.deepEqual(await delivered(), [{ topic: 'users-update', users: [{ id: u.id, email: 'lisa.gran@exempelbygg.se' }] }]);
  assert.equal((await api.huma(`/users/${u.id}`)).body.familyName.value, 'Gran');

  const unknown = await api.control(`huma/users/${u.id}/edit`, { shoeSize: 44 });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.errorCode, 'field:unknown');
  const empty = await api.control(`huma/users/${u.id}/edit`, { email: '' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.errorCode, 'field:invalid-format');
  const missing = await api.control('huma/users/99999999-9999-4999-8999-999999999999/edit', { phone: '070-1' });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.errorCode, 'object:not-found');
  assert.equal((await delivered()).length, 1, 'refused edits send nothing');
  assert.deepEqual((await api.control('inspect?data=false')).body.writes, [], 'controls are not API writes');
});

test('control delete: the user is gone from Huma and users-delete names their id and e-mail', async () => {
  const u = await plainUser(0);
  const r = await api.control(`huma/users/${u.id}/delete`, {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { deleted: { id: u.id, email: u.email } });
  assert.deepEqual(await delivered(), [{ topic: 'users-delete', users: [{ id: u.id, email: u.email }] }]);
  const gone = await api.huma(`/users/${u.id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.errorCode, 'object:not-found');
  assert.ok(!(await api.allHumaUsers()).some((x) => x.id === u.id), 'not listed');
  assert.equal((await api.control(`huma/users/${u.id}/delete`, {})).status, 404, 'a second delete finds nobody');
  assert.equal((await api.control('huma/users/me/delete', {})).status, 400, 'the API key\'s own user stays');
  assert.equal((await delivered()).length, 1);
});

test('control export: one users-export listing every user GET /users lists', async () => {
  const r = await api.control('huma/export', {});
  assert.equal(r.status, 200, r.text);
  const listed = await api.allHumaUsers();
  assert.equal(r.body.users, listed.length);
  const bodies = await delivered();
  assert.equal(bodies.length, 1);
  assert.equal(bodies[0].topic, 'users-export');
  assert.equal(rx.hits[0]?.headers['huma-topic'], 'users-export');
  const byId = (/** @type {{ id: string }} */ a, /** @type {{ id: string }} */ b) => a.id.localeCompare(b.id);
  assert.deepEqual([...bodies[0].users].sort(byId), listed.map((u) => ({ id: u.id, email: u.email })).sort(byId));
  box.clearWebhooks();
  const none = await api.control('huma/export', {});
  assert.equal(none.status, 400, 'no receiver to export to');
  assert.match(none.body.error, /receiver/);
});

test('events are delivered one at a time in event order', async () => {
  const users = await Promise.all([0, 1, 2].map(plainUser));
  for (const u of users) assert.equal((await patch(u.id, { preferredName: 'X' })).status, 200);
  await api.control('huma/export', {});
  const bodies = await delivered();
  assert.deepEqual(bodies.map((b) => b.users.length === 1 ? b.users[0].id : b.topic), [...users.map((u) => u.id), 'users-export']);
});

test('a receiver answering 500 is retried `retries` times and each delivery is recorded', async () => {
  box.setWebhooks({ url: rx.url, secret: SECRET, retries: 2 });
  const u = await plainUser(0);
  const { seq } = (await api.control('inspect?data=false')).body;
  rx.answer([500, 500, 500]);
  assert.equal((await patch(u.id, { preferredName: 'A' })).status, 200);
  await box.webhooksIdle();
  assert.equal(rx.hits.length, 3, 'one attempt and two retries');
  assert.ok(rx.hits.every((h) => h.raw.equals(rx.hits[0]?.raw ?? Buffer.alloc(0))), 'each attempt sends the same bytes');
  rx.answer([503]);
  assert.equal((await patch(u.id, { preferredName: 'B' })).status, 200);
  await box.webhooksIdle();
  assert.equal(rx.hits.length, 5, 'a retry that succeeds ends the delivery');
  const expected = [
    { topic: 'users-update', ids: [u.id], status: 500, attempts: 3 },
    { topic: 'users-update', ids: [u.id], status: 200, attempts: 2 },
  ];
  /** @param {any[]} list */
  const strip = (list) => list.map(({ seq: _, ...rest }) => rest);
  assert.deepEqual(strip(box.webhooks().deliveries), expected);
  const inspected = (await api.control(`inspect?data=false&since=${seq}`)).body;
  assert.deepEqual(strip(inspected.webhooks), expected);
  assert.ok(inspected.webhooks.every((/** @type {any} */ d) => d.seq > seq));
  const later = (await api.control(`inspect?data=false&since=${inspected.webhooks[1].seq}`)).body;
  assert.deepEqual(later.webhooks, [], 'since leaves out earlier deliveries');
});

test('an unreachable receiver is recorded with no status and the network error', async () => {
  const gone = await startReceiver();
  const url = gone.url;
  await gone.close();
  box.setWebhooks({ url, retries: 1 });
  const u = await plainUser(0);
  assert.equal((await patch(u.id, { preferredName: 'C' })).status, 200);
  await box.webhooksIdle();
  const [d] = box.webhooks().deliveries;
  assert.ok(d);
  assert.equal(d.status, null);
  assert.equal(d.attempts, 2);
  assert.equal(typeof d.error, 'string');
});

test('a slow receiver does not hold up the API: answers arrive while it still holds the webhook', async () => {
  const [a, b] = await Promise.all([0, 1].map(plainUser));
  assert.ok(a && b);
  rx.hold();
  // Only so that a sandbox which waits for the receiver fails (on the order below) instead of hanging.
  const valve = setTimeout(() => rx.release(), 30000);
  after(() => clearTimeout(valve));
  assert.equal((await patch(a.id, { preferredName: 'D' })).status, 200);
  await rx.received(1);
  assert.equal(rx.hits[0]?.answered, false, 'the receiver holds the first webhook');
  assert.equal((await patch(b.id, { preferredName: 'E' })).status, 200, 'the next write is answered meanwhile');
  assert.equal(rx.hits[0]?.answered, false);
  assert.equal(rx.hits.length, 1, 'the second delivery waits for the first');
  assert.equal(box.webhooks().pending, 2);
  clearTimeout(valve);
  rx.release();
  assert.deepEqual((await delivered()).map((x) => x.users[0].id), [a.id, b.id]);
  assert.equal(box.webhooks().pending, 0);
});

test('close() does not wait for a held or delayed delivery', async () => {
  for (const webhooks of [{ url: rx.url }, { url: rx.url, delayMs: 600000 }]) {
    rx.reset();
    rx.hold();
    const other = await startSandbox({ people: 40, webhooks });
    const otherApi = clients(other);
    const u = (await otherApi.allHumaUsers())[0];
    assert.equal((await otherApi.huma(`/users/${u.id}`, { method: 'PATCH', body: { preferredName: 'F' } })).status, 200);
    if (!webhooks.delayMs) await rx.received(1);
    await other.close();
    assert.equal(other.webhooks().deliveries[0]?.error, 'cancelled');
  }
  rx.release();
});

test('POST /_sandbox/reset forgets the receiver and the deliveries', async () => {
  const u = await plainUser(0);
  assert.equal((await patch(u.id, { preferredName: 'G' })).status, 200);
  await box.webhooksIdle();
  assert.equal(box.webhooks().deliveries.length, 1);
  const r = await call(`${box.url}/_sandbox/reset`, { body: {} });
  assert.equal(r.status, 200);
  assert.deepEqual((await api.control('webhooks')).body, { config: null, pending: 0, deliveries: [] });
  assert.deepEqual((await api.control('inspect?data=false')).body.webhooks, []);
});
