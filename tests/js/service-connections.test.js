// Connections in the integration service: verified before they are saved, the Crona code
// exchanged once and the key kept sealed, collisions refused with the reason (an intended Huma
// overlap only when confirmed), secrets kept when an edit leaves them blank, never shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { service } from './support/service.js';
import { sandbox } from './support/sandbox.js';

const s = await service();
const cookie = await s.signIn();
const other = await sandbox({ seed: 7, people: 5 });

/** A connection body for the page's form. @param {Record<string, any>} [over] */
function body(over = {}) {
  const c = s.credentials;
  return {
    name: 'Andra bolaget',
    huma: { baseUrl: s.box.humaUrl, clientId: c.huma.clientId, clientSecret: c.huma.clientSecret },
    crona: { baseUrl: other.cronaUrl, activationCode: other.credentials.crona.activationCode },
    group: null,
    ...over,
  };
}

test('wrong credentials are refused with their code, and nothing is saved', async () => {
  const huma = await s.call('POST', '/api/connections', body({ huma: { ...body().huma, clientSecret: 'wrong' } }), { cookie });
  assert.equal(huma.status, 400);
  assert.equal(huma.json.error.code, 'huma_auth_failed');
  const crona = await s.call('POST', '/api/connections', body({ crona: { ...body().crona, activationCode: 'AAAA-BBBB-CCCC' } }), { cookie });
  assert.equal(crona.status, 400);
  assert.equal(crona.json.error.code, 'crona_activation_failed');
  const missing = await s.call('POST', '/api/connections', body({ huma: { ...body().huma, clientId: '' } }), { cookie });
  assert.deepEqual([missing.status, missing.json.error.code, missing.json.error.details], [400, 'invalid_argument', { field: 'huma.clientId' }]);
  assert.deepEqual(s.store.connections().map((c) => c.name), ['Sandbox']);
});

test('both systems are checked at once: each refusal names its field, and a plain-http address says https is needed', async () => {
  const both = await s.call('POST', '/api/connections', body({ huma: { ...body().huma, clientSecret: 'wrong' }, crona: { ...body().crona, activationCode: 'AAAA-BBBB-CCCC' } }), { cookie });
  assert.equal(both.status, 400);
  assert.equal(both.json.error.code, 'connection_refused');
  assert.deepEqual(Object.keys(both.json.error.details.fields), ['huma.clientSecret', 'crona.activationCode']);
  assert.equal(both.json.error.details.field, 'huma.clientSecret');
  assert.match(both.json.error.message, /^Neither system accepted the connection\. Huma: .+ Crona Lön: .+/);
  const one = await s.call('POST', '/api/connections', body({ crona: { ...body().crona, activationCode: 'AAAA-BBBB-CCCC' } }), { cookie });
  assert.deepEqual([one.json.error.code, one.json.error.details.field, Object.keys(one.json.error.details.fields)], ['crona_activation_failed', 'crona.activationCode', ['crona.activationCode']]);
  const plain = await s.call('POST', '/api/connections', body({ crona: { ...body().crona, baseUrl: 'http://crona.example' } }), { cookie });
  assert.deepEqual([plain.status, plain.json.error.code, plain.json.error.details.field], [400, 'invalid_base_url', 'crona.baseUrl']);
  assert.equal(plain.json.error.message, 'Crona base URL must start with https:// (got http://crona.example): the credentials travel with every request, so only an encrypted address is used (plain http only on this machine, for the sandbox).');
  assert.deepEqual(s.store.connections().map((c) => c.name), ['Sandbox']);
});

test('a second connection to the same Crona company is refused, and cannot be confirmed', async () => {
  const r = await s.call('POST', '/api/connections', body({ crona: { baseUrl: s.box.cronaUrl, activationCode: s.credentials.crona.activationCode }, confirmOverlap: true }), { cookie });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'connection_collision');
  assert.deepEqual(r.json.error.details, { with: 'Sandbox', confirmable: false });
  assert.match(r.json.error.message, /^The connection "Sandbox" already reaches Crona company Exempel Bygg AB: two connections would both write its employees\./);
});

test('overlapping Huma groups are refused until the overlap is confirmed', async () => {
  const before = (await other.inspect()).seq;
  const r = await s.call('POST', '/api/connections', body(), { cookie });
  assert.equal(r.status, 409);
  assert.deepEqual(r.json.error.details, { with: 'Sandbox', confirmable: true });
  assert.match(r.json.error.message, /already covers everyone in this Huma organisation: two connections would both write the same person\..* If the overlap is meant, confirm it\.$/);
  const ok = await s.call('POST', '/api/connections', body({ confirmOverlap: true }), { cookie });
  assert.equal(ok.status, 201);
  const c = ok.json.connection;
  // Each save exchanged the code once (the company it names is what collisions are checked on).
  const activations = (await other.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/activate');
  assert.equal(activations.length, 2);
  const company = await (await fetch(`${other.cronaUrl}/api/v1/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ activationCode: other.credentials.crona.activationCode }) })).json();
  assert.deepEqual([c.name, c.crona.companyId, c.crona.companyName, c.active, c.group, c.lease, c.runs], ['Andra bolaget', company.companyId, company.companyName, false, null, null, []]);
  assert.equal(s.store.secret(c.id, 'crona.apiKey'), company.apiKey);
});

test('with a confirmed overlap, a Huma person paired by one connection is written by that one only', async () => {
  const second = /** @type {{ id: number }} */ (s.store.connection('Andra bolaget'));
  const users = (await s.box.inspect()).huma.users.filter((/** @type {any} */ u) => u.active);
  const [kept, free] = users;
  s.store.saveState(s.id, { activatedAt: '2026-11-01T08:00:00.000Z', pairs: [{ humaId: kept.id, anstNr: '1001' }], baseline: {} }, s.store.state(s.id).version);
  const before = (await s.box.inspect()).seq;
  // A run on each connection (the relay forwards only for a run holding the lease).
  const mine = await s.begin(cookie);
  const start = await s.call('POST', `/api/connections/${second.id}/runs`, { kind: 'sync' }, { cookie });
  assert.equal(start.status, 201, start.text);
  const theirs = start.json.lease.token;
  const refused = await s.call('PATCH', `/relay/${second.id}/huma/users/${kept.id}`, { phone: '070-111 22 33' }, { cookie, lease: theirs });
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.code, 'person_in_other_connection');
  assert.equal(refused.json.message, 'This Huma person is kept by the connection "Sandbox"; two connections never both write the same person. Change them there.');
  assert.deepEqual((await s.box.inspect(before)).writes, []);
  // The connection that paired the person writes as before, and so does the other for anyone else.
  const own = await s.call('PATCH', `/relay/${s.id}/huma/users/${kept.id}`, { phone: '070-111 22 33' }, { cookie, lease: mine.lease });
  assert.equal(own.status, 200, own.text);
  const other = await s.call('PATCH', `/relay/${second.id}/huma/users/${free.id}`, { phone: '070-444 55 66' }, { cookie, lease: theirs });
  await mine.end();
  await s.call('POST', `/api/connections/${second.id}/runs/${start.json.run.id}/finish`, { token: theirs, outcome: 'stopped', summary: 'test over' }, { cookie });
  assert.equal(other.status, 200, other.text);
  assert.deepEqual((await s.box.inspect(before)).writes.map((/** @type {any} */ w) => w.path), [`/users/${kept.id}`, `/users/${free.id}`]);
});

test('an edit with the secret fields left blank keeps the stored secrets and proves the stored key', async () => {
  const c = /** @type {import('../../pkg/lib/service/store.js').StoredConnection} */ (s.store.connection('Andra bolaget'));
  const key = s.store.secret(c.id, 'crona.apiKey');
  const before = (await other.inspect()).seq;
  const group = { type: 'company', id: 'bygg', name: 'Bygg' };
  const r = await s.call('PUT', `/api/connections/${c.id}`, body({ name: 'Andra bolaget (Bygg)', huma: { ...body().huma, clientSecret: '' }, crona: { baseUrl: other.cronaUrl }, group, confirmOverlap: true }), { cookie });
  assert.equal(r.status, 200);
  assert.equal(r.json.connection.name, 'Andra bolaget (Bygg)');
  assert.deepEqual(r.json.connection.group, group);
  assert.equal(s.store.secret(c.id, 'crona.apiKey'), key);
  assert.equal(s.store.secret(c.id, 'huma.clientSecret'), s.credentials.huma.clientSecret);
  assert.deepEqual((await other.inspect(before)).requests.filter((/** @type {any} */ q) => q.path === '/api/v1/activate'), []);
  assert.deepEqual(s.store.connection(c.id)?.settings.scope, { companies: ['bygg'], locations: [], teams: [] });
});

test('a stored secret goes only where it went before: a new base URL needs the secret typed again', async () => {
  const c = /** @type {{ id: number }} */ (s.store.connection('Andra bolaget (Bygg)'));
  const moved = await s.call('PUT', `/api/connections/${c.id}`, body({ name: 'Andra bolaget (Bygg)', huma: { baseUrl: other.humaUrl, clientId: s.credentials.huma.clientId, clientSecret: '' }, crona: { baseUrl: other.cronaUrl }, confirmOverlap: true }), { cookie });
  assert.deepEqual([moved.status, moved.json.error.code, moved.json.error.details], [400, 'invalid_argument', { field: 'huma.clientSecret' }]);
  const before = (await other.inspect()).seq;
  const groups = await s.call('POST', '/api/huma-groups', { connectionId: s.id, baseUrl: other.humaUrl, clientId: 'someone-else' }, { cookie });
  assert.equal(groups.status, 200);
  assert.deepEqual((await other.inspect(before)).requests, [], 'the saved secret went to the saved Huma only');
});

test('the groups come from Huma through the service, with a saved connection\'s secret', async () => {
  const r = await s.call('POST', '/api/huma-groups', { connectionId: s.id }, { cookie });
  assert.equal(r.status, 200);
  const expected = (await s.box.inspect()).huma.groups.filter((/** @type {any} */ g) => ['company', 'location', 'team'].includes(String(g.type).toLowerCase()));
  assert.deepEqual(r.json.groups.map((/** @type {any} */ g) => g.id).sort(), expected.map((/** @type {any} */ g) => g.id).sort());
  const bad = await s.call('POST', '/api/huma-groups', { baseUrl: s.box.humaUrl, clientId: s.credentials.huma.clientId, clientSecret: 'wrong' }, { cookie });
  assert.equal(bad.json.error.code, 'huma_auth_failed');
});

test('a connection is removed with its state and runs; nothing changes in Huma or Crona', async () => {
  const c = /** @type {{ id: number }} */ (s.store.connection('Andra bolaget (Bygg)'));
  const before = (await other.inspect()).seq;
  const r = await s.call('DELETE', `/api/connections/${c.id}`, undefined, { cookie });
  assert.equal(r.status, 204);
  assert.equal((await s.call('GET', `/api/connections/${c.id}`, undefined, { cookie })).status, 404);
  assert.equal(s.store.secret(c.id, 'crona.apiKey'), null);
  assert.deepEqual((await other.inspect(before)).writes, []);
});
