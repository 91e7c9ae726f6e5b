// The sandbox's Huma Open API emulator (spec B) over real HTTP: auth, users, positions, groups, errors.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { startSandbox } from '../sandbox/index.js';
import { call, clients } from '../sandbox/client.js';

const box = await startSandbox({ people: 40 });
after(() => box.close());
const api = clients(box);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN_URL = `${box.humaUrl}/auth/oauth/token`;
const { clientId, clientSecret } = box.credentials.huma;

/** @param {string} kind */
const planted = (kind) => {
  const p = box.planted.find((c) => c.kind === kind);
  assert.ok(p, `planted ${kind}`);
  return p;
};
/** @param {import('../sandbox/client.js').Reply} r */
const assertCredentials = (r) => {
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.body.access_token, 'string');
  assert.equal(r.body.token_type, 'Bearer');
  assert.equal(r.body.expires_in, 3600);
  assert.match(r.body.organizationId, UUID);
  assert.match(r.body.userId, UUID);
};
const form = { 'content-type': 'application/x-www-form-urlencoded' };

test('credentials are UUIDs', () => {
  assert.match(clientId, UUID);
  assert.match(clientSecret, UUID);
});

test('token: HTTP Basic + form grant_type', async () => {
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  assertCredentials(await call(TOKEN_URL, { method: 'POST', raw: 'grant_type=client_credentials', headers: { ...form, authorization: `Basic ${basic}` } }));
});

test('token: client_id and client_secret in the form body', async () => {
  const raw = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
  assertCredentials(await call(TOKEN_URL, { method: 'POST', raw, headers: form }));
});

test('token: JSON body', async () => {
  assertCredentials(await call(TOKEN_URL, { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } }));
});

test('token: a wrong secret is 401 invalid_client, in every form', async () => {
  const wrong = '00000000-0000-4000-8000-000000000000';
  const basic = Buffer.from(`${clientId}:${wrong}`).toString('base64');
  const replies = [
    await call(TOKEN_URL, { method: 'POST', raw: 'grant_type=client_credentials', headers: { ...form, authorization: `Basic ${basic}` } }),
    await call(TOKEN_URL, { method: 'POST', raw: `grant_type=client_credentials&client_id=${clientId}&client_secret=${wrong}`, headers: form }),
    await call(TOKEN_URL, { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: wrong } }),
    await call(TOKEN_URL, { body: { grant_type: 'client_credentials' } }),
  ];
  for (const r of replies) {
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
    assert.equal(typeof r.body.error_description, 'string');
  }
});

test('token: missing or unsupported grant_type is 400 InvalidFieldFormatResponse', async () => {
  for (const body of [{ client_id: clientId, client_secret: clientSecret }, { grant_type: 'password', client_id: clientId, client_secret: clientSecret }]) {
    const r = await call(TOKEN_URL, { body });
    assert.equal(r.status, 400);
    assert.equal(r.body.errorCode, 'field:invalid-format');
    assert.deepEqual(r.body.fields, ['grant_type']);
  }
});

test('every other route needs a valid bearer token: missing and unknown are 401 invalid_token', async () => {
  for (const headers of /** @type {Record<string, string>[]} */ ([{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` }])) {
    const r = await call(`${box.humaUrl}/users`, { headers });
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_token');
    assert.equal(typeof r.body.error_description, 'string');
  }
});

test('a token expires after tokenTtlSeconds', async () => {
  await api.control('settings', { tokenTtlSeconds: 1 });
  try {
    const r = await call(TOKEN_URL, { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    assert.equal(r.body.expires_in, 1);
    const headers = { authorization: `Bearer ${r.body.access_token}` };
    assert.equal((await call(`${box.humaUrl}/users?limit=1`, { headers })).status, 200);
    await new Promise((res) => setTimeout(res, 1100));
    const late = await call(`${box.humaUrl}/users?limit=1`, { headers });
    assert.equal(late.status, 401);
    assert.equal(late.body.error, 'invalid_token');
  } finally {
    await api.control('settings', { tokenTtlSeconds: 3600 });
  }
});

test('revoke-tokens makes every issued token invalid; a new token works', async () => {
  const token = await api.humaToken();
  const headers = { authorization: `Bearer ${token}` };
  assert.equal((await call(`${box.humaUrl}/users?limit=1`, { headers })).status, 200);
  assert.equal((await api.control('huma/revoke-tokens', {})).status, 200);
  assert.equal((await call(`${box.humaUrl}/users?limit=1`, { headers })).status, 401);
  api.forget();
  assert.equal((await api.huma('/users?limit=1')).status, 200);
});

test('GET /users pages through every listable user exactly once, in a stable order', async () => {
  const inspected = (await api.control('inspect')).body;
  const first = await api.huma('/users?limit=7');
  assert.equal(first.body.total, inspected.huma.users.length);
  const all = await api.allHumaUsers('', 7);
  const ids = all.map((u) => u.id);
  assert.equal(new Set(ids).size, ids.length, 'no user twice');
  assert.deepEqual([...ids].sort(), inspected.huma.users.map((/** @type {any} */ u) => u.id).sort());
  assert.ok(!ids.includes(inspected.huma.serviceUser.id), 'the API key\'s service user is not listed');
  const again = await api.allHumaUsers('', 50);
  assert.deepEqual(again.map((u) => u.id), ids, 'page size does not change the order');
  const desc = await api.allHumaUsers('orderDirection=DESC', 50);
  assert.deepEqual(desc.map((u) => u.id), [...ids].reverse());
});

test('GET /users defaults to 25 items and allows limit=0 and limit=50', async () => {
  assert.equal((await api.huma('/users')).body.items.length, 25);
  const zero = await api.huma('/users?limit=0');
  assert.equal(zero.status, 200);
  assert.deepEqual(zero.body.items, []);
  assert.ok(zero.body.total > 30);
  assert.equal((await api.huma('/users?limit=50')).body.items.length, zero.body.total);
});

test('GET /users: bad paging and filters are 400 field:invalid-format naming the parameter', async () => {
  const ids = Array.from({ length: 26 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const cases = [
    ['limit=51', 'limit'], ['limit=-1', 'limit'], ['limit=ten', 'limit'], ['limit=2.5', 'limit'], ['offset=-1', 'offset'],
    ['orderDirection=UP', 'orderDirection'], ['isActive=yes', 'isActive'], ['team=not-a-uuid', 'team'],
    [ids.map((id) => `company=${id}`).join('&'), 'company'], [`id=${ids[0]}&id=${ids[0]}`, 'id'], ['excludeId=x', 'excludeId'],
  ];
  for (const [query, field] of cases) {
    const r = await api.huma(`/users?${query}`);
    assert.equal(r.status, 400, query);
    assert.equal(r.body.errorCode, 'field:invalid-format', query);
    assert.deepEqual(r.body.fields, [field], query);
    assert.equal(typeof r.body.errorMessage, 'string');
  }
});

test('User list items have spec B\'s required properties as plain values', async () => {
  const users = await api.allHumaUsers();
  for (const u of users) {
    assert.match(u.id, UUID);
    for (const k of ['givenName', 'familyName', 'email']) assert.equal(typeof u[k], 'string', `${k} is plain`);
    assert.equal(typeof u.status.active, 'boolean');
    assert.equal(u.type, 'user');
    assert.ok(Array.isArray(u.jobTitles));
    for (const t of u.jobTitles) assert.deepEqual(Object.keys(t).sort(), ['id', 'name']);
    if (u.phone !== undefined) assert.equal(typeof u.phone, 'string');
    assert.ok(u.companies.length === 1 && u.companies[0].type === 'company');
    assert.ok(u.groups.length >= 3);
  }
  const missingGiven = planted('missingInHuma');
  assert.ok(users.some((u) => u.givenName === ''), 'an empty required name is served as ""');
  assert.ok(missingGiven);
});

test('filters: company scopes away the sister company, isActive, id, excludeId, team, search', async () => {
  const all = await api.allHumaUsers();
  const out = box.planted.filter((c) => c.kind === 'outOfScope').map((c) => c.humaId);
  assert.equal(out.length, 2);
  const main = all.find((u) => u.id !== out[0] && u.id !== out[1]).companies[0].id;
  const scoped = await api.allHumaUsers(`company=${main}`);
  assert.equal(scoped.length, all.length - 2);
  assert.ok(scoped.every((u) => !out.includes(u.id)));

  const inactive = await api.allHumaUsers('isActive=false');
  assert.deepEqual(inactive.map((u) => u.id).sort(), box.planted.filter((c) => c.kind.startsWith('deactivated')).map((c) => c.humaId).sort());
  assert.equal((await api.allHumaUsers('isActive=true')).length, all.length - inactive.length);

  const two = [all[3].id, all[9].id];
  const byId = await api.huma(`/users?id=${two[0]}&id=${two[1]}`);
  assert.deepEqual(byId.body.items.map((/** @type {any} */ u) => u.id).sort(), [...two].sort());
  const byComma = await api.huma(`/users?id=${two.join(',')}`);
  assert.equal(byComma.body.total, 2);
  const excluded = await api.allHumaUsers(`excludeId=${two[0]}`);
  assert.equal(excluded.length, all.length - 1);

  const team = all[0].teams[0];
  const inTeam = await api.allHumaUsers(`team=${team.id}`);
  assert.ok(inTeam.length > 0);
  assert.ok(inTeam.every((u) => u.teams.some((/** @type {any} */ t) => t.id === team.id)));
  assert.equal(inTeam.length, all.filter((u) => u.teams.some((/** @type {any} */ t) => t.id === team.id)).length);

  const someone = all.find((u) => u.familyName.length > 3);
  const found = await api.allHumaUsers(`search=${encodeURIComponent(someone.familyName.toUpperCase())}`);
  assert.ok(found.some((u) => u.id === someone.id));
  assert.ok(found.every((u) => `${u.givenName} ${u.familyName} ${u.email}`.toLowerCase().includes(someone.familyName.toLowerCase())));
});

/** @param {any} w @param {string} name */
function assertWrapper(w, name) {
  assert.equal(typeof w, 'object', name);
  assert.equal(typeof w.editable, 'boolean', `${name}.editable`);
  for (const k of Object.keys(w)) assert.ok(['value', 'editable', 'completeness', 'integrations', 'requestedValue', 'showBirthday'].includes(k), `${name}.${k}`);
  if (w.completeness !== undefined) assert.ok(['details', 'important'].includes(w.completeness));
}

test('GET /users/{id} serves UserDetails with per-field wrappers', async () => {
  const users = await api.allHumaUsers();
  let absent = 0, nulls = 0;
  for (const item of users) {
    const r = await api.huma(`/users/${item.id}`);
    assert.equal(r.status, 200);
    const d = r.body;
    assert.equal(d.id, item.id);
    assert.equal(d.type, 'user');
    assert.equal(typeof d.subordinatesCount, 'number');
    assert.equal(typeof d.status.active, 'boolean');
    for (const k of ['givenName', 'familyName', 'preferredName', 'privateEmail', 'phone', 'homeAddress', 'bankAccount', 'employmentId',
      'jobTitle', 'employmentStartDate', 'employmentEndDate', 'firstContractStartDate', 'teams', 'locations', 'companies', 'groups', 'supervisor']) {
      assertWrapper(d[k], k);
    }
    assert.equal(typeof d.email.value, 'string', 'EmailField.value is required');
    assert.equal(typeof d.email.editable, 'boolean');
    assert.ok(Array.isArray(d.currentPositions));
    assert.ok(Array.isArray(d.jobTitles));
    for (const p of d.currentPositions) assert.equal(p.status, 'CURRENT');
    const a = d.homeAddress.value;
    if (a) for (const k of ['line1', 'postalCode', 'city', 'country']) assert.equal(typeof a[k], 'string', `homeAddress.${k}`);
    const b = d.bankAccount.value;
    if (b?.type === 'national') assert.deepEqual(Object.keys(b).sort(), ['code', 'country', 'number', 'type']);
    else if (b) assert.deepEqual(Object.keys(b).sort(), ['bic', 'code', 'iban', 'type']);
    // empty fields: some come as {"editable": true}, some with "value": null
    for (const k of ['preferredName', 'civilStatus']) {
      if (!('value' in d[k])) absent++;
      else if (d[k].value === null) nulls++;
    }
    assert.deepEqual(Object.keys(d.completeness).sort(), ['details', 'important']);
  }
  assert.ok(absent > 0 && nulls > 0, `both empty shapes occur (absent ${absent}, null ${nulls})`);
});

test('the deprecated flat employment fields follow the positions', async () => {
  const several = planted('positionsSeveral');
  const d = (await api.huma(`/users/${several.humaId}`)).body;
  const positions = /** @type {any[]} */ (several.huma);
  const earliest = positions.map((p) => p.contractStartDate).sort()[0];
  assert.equal(d.employmentStartDate.value, earliest);
  assert.equal(d.firstContractStartDate.value, earliest);
  assert.equal(d.employmentEndDate.value ?? null, null, 'an open-ended position leaves the end empty');
  assert.equal(d.currentPositions.length, 1);
  assert.equal(d.jobTitle.value.id, positions.find((p) => p.status === 'CURRENT').titleId);
  const ended = planted('positionEnded');
  const e = (await api.huma(`/users/${ended.humaId}`)).body;
  assert.equal(e.employmentEndDate.value, /** @type {any} */ (ended.expected).AvgDatum);
  assert.deepEqual(e.currentPositions, []);
});

test('GET /users/{id}: an unknown id is 404 object:not-found; "me" is the API key\'s user', async () => {
  const id = '11111111-2222-4333-8444-555555555555';
  const r = await api.huma(`/users/${id}`);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body.interpolations, { type: 'User', id });
  assert.equal(r.body.errorCode, 'object:not-found');
  assert.equal(typeof r.body.errorMessage, 'string');
  const token = await call(TOKEN_URL, { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
  const me = await api.huma('/users/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.id, token.body.userId);
  assert.equal(me.body.type, 'service_user');
});

/** A plain matched person nobody else's test touches. @param {number} n */
async function plainUser(n) {
  const used = new Set(box.planted.flatMap((c) => [c.humaId, ...(c.humaIds ?? [])]));
  const all = await api.allHumaUsers();
  const free = all.filter((u) => !used.has(u.id) && u.status.active);
  return free[n];
}

test('PATCH /users/{id} updates the fields sent and returns UserDetails; the write is logged', async () => {
  const u = await plainUser(0);
  const { seq } = (await api.control('inspect?data=false')).body;
  const body = {
    phone: '+46 70 000 11 22',
    privateEmail: 'nytt.namn@example.org',
    homeAddress: { line1: 'Storgatan 12', line2: 'lgh 1102', line3: '', postalCode: '411 38', city: 'Göteborg', country: 'SE' },
    bankAccount: { type: 'national', number: '5402-0012345', country: 'SE' },
  };
  const r = await api.huma(`/users/${u.id}`, { method: 'PATCH', body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.phone.value, '+46 70 000 11 22');
  assert.equal(r.body.privateEmail.value, 'nytt.namn@example.org');
  assert.deepEqual(r.body.homeAddress.value, { line1: 'Storgatan 12', line2: 'lgh 1102', postalCode: '411 38', city: 'Göteborg', country: 'SE' });
  assert.deepEqual(r.body.bankAccount.value, { type: 'national', code: 'SE', number: '5402-0012345', country: 'SE' });
  assert.equal((await api.huma(`/users/${u.id}`)).body.phone.value, '+46 70 000 11 22');
  const { writes } = (await api.control(`inspect?data=false&since=${seq}`)).body;
  assert.equal(writes.length, 1);
  assert.deepEqual({ ...writes[0], seq: 0 }, { seq: 0, system: 'huma', method: 'PATCH', path: `/users/${u.id}`, query: {}, status: 200, body });
});

test('PATCH: malformed JSON is 400 request:malformed-json; a non-JSON content type is 415', async () => {
  const u = await plainUser(1);
  const r = await api.huma(`/users/${u.id}`, { method: 'PATCH', raw: '{"phone": ', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.errorCode, 'request:malformed-json');
  const t = await api.huma(`/users/${u.id}`, { method: 'PATCH', raw: '{"phone":"1"}', headers: { 'content-type': 'text/plain' } });
  assert.equal(t.status, 415);
  assert.equal(t.body.status, 415);
  assert.equal(t.body.path, `/users/${u.id}`);
});

test('PATCH: spec A employment fields and unknown properties are refused', async () => {
  const u = await plainUser(1);
  for (const [body, field] of [[{ employmentStartDate: '2020-01-01' }, 'employmentStartDate'], [{ jobTitle: u.jobTitles[0]?.id ?? 'x' }, 'jobTitle'], [{ employmentPercentage: 80 }, 'employmentPercentage'], [{ shoeSize: 44 }, 'shoeSize']]) {
    const r = await api.huma(`/users/${u.id}`, { method: 'PATCH', body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.errorCode, 'field:unknown');
    assert.deepEqual(r.body.fields, [field]);
  }
});

test('PATCH: types, maxLengths and the address/bank-account shapes are validated', async () => {
  const u = await plainUser(1);
  const addr = { line1: 'Storgatan 1', line2: '', line3: '', postalCode: '11453', city: 'Stockholm', country: 'SE' };
  const { line3, ...noLine3 } = addr;
  const cases = [
    [{ givenName: 'x'.repeat(256) }, ['givenName']],
    [{ phone: 46701234567 }, ['phone']],
    [{ nationality: 'SWE' }, ['nationality']],
    [{ birthDate: '1990-02-30' }, ['birthDate']],
    [{ civilStatus: 'Divorced' }, ['civilStatus']],
    [{ homeAddress: noLine3 }, ['homeAddress.line3']],
    [{ homeAddress: { ...addr, country: 'Sverige' } }, ['homeAddress.country']],
    [{ bankAccount: { type: 'national', number: '5402-0012345' } }, ['bankAccount.country']],
    [{ bankAccount: { type: 'international', iban: 'NO9386011117947' } }, ['bankAccount.bic']],
    [{ bankAccount: { type: 'swift', number: '1' } }, ['bankAccount.type']],
    [{ email: 'not-an-address' }, ['email']],
  ];
  for (const [body, fields] of cases) {
    const r = await api.huma(`/users/${u.id}`, { method: 'PATCH', body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.errorCode, 'field:invalid-format', JSON.stringify(body));
    assert.deepEqual(r.body.fields, fields);
  }
  assert.equal(line3, '');
});

test('PATCH: a field with editable false is 400 field:not-editable', async () => {
  const c = planted('notEditable');
  const d = (await api.huma(`/users/${c.humaId}`)).body;
  assert.equal(d.employmentId.editable, false);
  assert.deepEqual(Object.values(d.employmentId.integrations).map((/** @type {any} */ i) => i.warning), ['locked_disconnect']);
  const r = await api.huma(`/users/${c.humaId}`, { method: 'PATCH', body: { employmentId: c.anstNr, phone: '070-111 22 33' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.errorCode, 'field:not-editable');
  assert.deepEqual(r.body.fields, ['employmentId']);
  assert.equal((await api.huma(`/users/${c.humaId}`)).body.employmentId.value, d.employmentId.value, 'nothing was written');
});

test('PATCH: a deactivated user is 400 user:deactivated', async () => {
  const c = planted('deactivated');
  const r = await api.huma(`/users/${c.humaId}`, { method: 'PATCH', body: { phone: String(c.crona) } });
  assert.equal(r.status, 400);
  assert.equal(r.body.errorCode, 'user:deactivated');
});

test('PATCH: e-mail, phone or employment id of another user is 400 field:not-unique', async () => {
  const u = await plainUser(2);
  const other = await plainUser(3);
  const od = (await api.huma(`/users/${other.id}`)).body;
  const digits = String(od.phone.value).replace(/\D/g, '').replace(/^46/, '0');
  for (const [body, field] of [[{ email: other.email.toUpperCase() }, 'email'], [{ phone: `${digits.slice(0, 3)}-${digits.slice(3)}` }, 'phone'], [{ employmentId: od.employmentId.value }, 'employmentId']]) {
    const r = await api.huma(`/users/${u.id}`, { method: 'PATCH', body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.errorCode, 'field:not-unique');
    assert.deepEqual(r.body.fields, [field]);
  }
});

test('PATCH email: "immediate" changes it, "pending" parks it in requestedValue', async () => {
  const u = await plainUser(4);
  const r1 = await api.huma(`/users/${u.id}`, { method: 'PATCH', body: { email: 'ny.adress@exempelbygg.se' } });
  assert.equal(r1.status, 200);
  assert.equal(r1.body.email.value, 'ny.adress@exempelbygg.se');
  assert.equal(r1.body.email.requestedValue, undefined);
  await api.control('settings', { emailChange: 'pending' });
  try {
    const r2 = await api.huma(`/users/${u.id}`, { method: 'PATCH', body: { email: 'annu.nyare@exempelbygg.se' } });
    assert.equal(r2.status, 200);
    assert.equal(r2.body.email.value, 'ny.adress@exempelbygg.se');
    assert.equal(r2.body.email.requestedValue, 'annu.nyare@exempelbygg.se');
  } finally {
    await api.control('settings', { emailChange: 'immediate' });
  }
});

test('the planted pending e-mail change is served in requestedValue', async () => {
  const c = planted('pendingEmailChange');
  const d = (await api.huma(`/users/${c.humaId}`)).body;
  assert.deepEqual({ value: d.email.value, requestedValue: d.email.requestedValue }, c.huma);
});

test('POST /users creates a user and returns the User list shape', async () => {
  const groups = (await api.huma('/groups?type=company&type=team&limit=25')).body.items;
  const company = groups.find((/** @type {any} */ g) => g.type === 'company');
  const team = groups.find((/** @type {any} */ g) => g.type === 'team');
  const r = await api.huma('/users', { body: { givenName: 'Märta', familyName: 'Öberg', email: 'marta.oberg@exempelbygg.se', groups: [company.id, team.id], phone: '070-999 88 77' } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.id, UUID);
  assert.equal(r.body.givenName, 'Märta', 'plain, not wrapped');
  assert.equal(r.body.email, 'marta.oberg@exempelbygg.se');
  assert.deepEqual(r.body.status, { active: true });
  assert.deepEqual(r.body.jobTitles, []);
  assert.deepEqual(r.body.companies.map((/** @type {any} */ g) => g.id), [company.id]);
  const d = (await api.huma(`/users/${r.body.id}`)).body;
  assert.equal(d.givenName.value, 'Märta');
  const listed = await api.huma(`/users?id=${r.body.id}`);
  assert.equal(listed.body.total, 1);
});

test('POST /users: duplicate e-mail, missing required, unknown group, spec A fields', async () => {
  const someone = (await api.huma('/users?limit=1')).body.items[0];
  const company = someone.companies[0].id;
  const dup = await api.huma('/users', { body: { givenName: 'A', familyName: 'B', email: someone.email, groups: [company] } });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.errorCode, 'field:not-unique');
  assert.deepEqual(dup.body.fields, ['email']);
  const missing = await api.huma('/users', { body: { givenName: 'A', email: 'a.b@exempelbygg.se' } });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.fields.sort(), ['familyName', 'groups']);
  const unknownGroup = await api.huma('/users', { body: { givenName: 'A', familyName: 'B', email: 'a.b@exempelbygg.se', groups: ['99999999-9999-4999-8999-999999999999'] } });
  assert.equal(unknownGroup.status, 404);
  assert.equal(unknownGroup.body.interpolations.type, 'Group');
  const specA = await api.huma('/users', { body: { givenName: 'A', familyName: 'B', email: 'a.b@exempelbygg.se', groups: [company], employmentStartDate: '2026-01-01' } });
  assert.equal(specA.status, 400);
  assert.deepEqual(specA.body.fields, ['employmentStartDate']);
});

test('positions: list, create, read, update, delete, with status against today', async () => {
  const c = planted('positionsSeveral');
  const list = await api.huma(`/users/${c.humaId}/positions`);
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 3);
  assert.deepEqual(list.body.items.map((/** @type {any} */ p) => p.status).sort(), ['CURRENT', 'ENDED', 'ENDED']);
  for (const p of list.body.items) assert.equal(typeof p.title.name, 'string');
  const paged = await api.huma(`/users/${c.humaId}/positions?limit=2&offset=2`);
  assert.equal(paged.body.items.length, 1);
  assert.equal(paged.body.total, 3);

  const u = await plainUser(5);
  const titles = (await api.huma('/job-titles')).body;
  const snickare = titles.find((/** @type {any} */ t) => t.name === 'Snickare');
  const created = await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01', contractType: 'Temporary', titleId: snickare.id, contractEndDate: '2027-06-30' } });
  assert.equal(created.status, 200, created.text);
  const p = created.body;
  assert.equal(p.status, 'UPCOMING');
  assert.deepEqual(p.contractStartDate, { value: '2027-01-01', editable: true });
  assert.deepEqual(p.title.value, { id: snickare.id, name: 'Snickare' });
  assert.equal(p.percentage.value, 100, 'percentage defaults to 100');
  assert.equal(p.contractType.value, 'Temporary');
  const got = await api.huma(`/users/${u.id}/positions/${p.id}`);
  assert.deepEqual(got.body, p);
  const patched = await api.huma(`/users/${u.id}/positions/${p.id}`, { method: 'PATCH', body: { contractStartDate: '2025-01-01', contractEndDate: '2025-12-31' } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.status, 'ENDED');
  const del = await api.huma(`/users/${u.id}/positions/${p.id}`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.equal(del.text, '');
  const gone = await api.huma(`/users/${u.id}/positions/${p.id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.interpolations.type, 'Position');
});

test('positions: create needs contractStartDate, a contractType from the enum and an existing titleId', async () => {
  const u = await plainUser(5);
  const missing = await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01' } });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.fields.sort(), ['contractType', 'titleId']);
  const badType = await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01', contractType: 'Forever', titleId: '99999999-9999-4999-8999-999999999999' } });
  assert.deepEqual(badType.body.fields, ['contractType']);
  const unknownTitle = await api.huma(`/users/${u.id}/positions`, { body: { contractStartDate: '2027-01-01', contractType: 'Permanent', titleId: '99999999-9999-4999-8999-999999999999' } });
  assert.equal(unknownTitle.status, 404);
  assert.equal(unknownTitle.body.interpolations.type, 'JobTitle');
  const unknownUser = await api.huma('/users/99999999-9999-4999-8999-999999999999/positions');
  assert.equal(unknownUser.status, 404);
  assert.equal(unknownUser.body.interpolations.type, 'User');
  const badLimit = await api.huma(`/users/${u.id}/positions?limit=-1`);
  assert.equal(badLimit.status, 400);
});

test('GET /groups: default 10, max 25, type filter; GET /job-titles: a plain array with Swedish titles', async () => {
  const page = await api.huma('/groups');
  assert.equal(page.body.items.length, 10);
  assert.ok(page.body.total > 10);
  assert.equal((await api.huma('/groups?limit=26')).status, 400);
  const companies = await api.huma('/groups?type=company');
  assert.equal(companies.body.total, 2);
  for (const g of companies.body.items) assert.match(g.organizationNumber, /^\d{6}-\d{4}$/);
  assert.equal((await api.huma('/groups?type=department')).status, 400);
  const titles = await api.huma('/job-titles');
  assert.ok(Array.isArray(titles.body));
  for (const n of ['Lönespecialist', 'Snickare', 'Projektledare', 'Ekonomiassistent']) assert.ok(titles.body.some((/** @type {any} */ t) => t.name === n), n);
  const search = await api.huma('/job-titles?search=chef');
  assert.ok(search.body.length > 0 && search.body.every((/** @type {any} */ t) => t.name.toLowerCase().includes('chef')));
});

test('unknown paths are 404 and wrong methods 405, in Spring\'s error shape', async () => {
  const r = await api.huma('/nothing-here');
  assert.equal(r.status, 404);
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'path', 'status', 'timestamp']);
  assert.equal(r.body.path, '/nothing-here');
  const m = await api.huma('/users', { method: 'DELETE' });
  assert.equal(m.status, 405);
  assert.equal(m.body.status, 405);
});
