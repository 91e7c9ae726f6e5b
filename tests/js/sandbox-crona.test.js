// The sandbox's Crona Lön emulator (the assumed contract of docs/crona-api.md) over real HTTP.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { startSandbox } from '../sandbox/index.js';
import { call, clients } from '../sandbox/client.js';

const box = await startSandbox({ people: 40 });
after(() => box.close());
const api = clients(box);
const ACTIVATE = `${box.cronaUrl}/api/v1/activate`;
const FIELDS = ['AnstNr', 'FoNamn', 'EfNamn', 'Adress1', 'Adress2', 'PostNr', 'PostOrt', 'LandAdr', 'Mobil', 'EpostArb', 'EpostPriv',
  'UtbetClearNr', 'UtbetKontoNr', 'AnstDatum', 'AvgDatum', 'Slutat', 'Befattning'];

/** @param {import('../sandbox/client.js').Reply} r @param {number} status @param {string} code @param {string} [field] */
function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.error.code, code);
  assert.equal(typeof r.body.error.message, 'string');
  if (field !== undefined) assert.equal(r.body.error.field, field);
}

test('activate exchanges the code for an API key and names the company; again gives the same key', async () => {
  const code = box.credentials.crona.activationCode;
  assert.match(code, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  const r1 = await call(ACTIVATE, { body: { activationCode: code } });
  assert.equal(r1.status, 200);
  assert.deepEqual(Object.keys(r1.body).sort(), ['apiKey', 'companyId', 'companyName']);
  assert.equal(r1.body.companyName, 'Exempel Bygg AB');
  const r2 = await call(ACTIVATE, { body: { activationCode: ` ${code} ` } });
  assert.equal(r2.body.apiKey, r1.body.apiKey);
});

test('activate: a wrong code is 401 invalid_activation_code; a missing one 400; broken JSON 400', async () => {
  assertError(await call(ACTIVATE, { body: { activationCode: 'AAAA-BBBB-CCCC' } }), 401, 'invalid_activation_code');
  assertError(await call(ACTIVATE, { body: {} }), 400, 'invalid_parameter', 'activationCode');
  assertError(await call(ACTIVATE, { raw: '{"activationCode":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
});

test('every other route needs Authorization: Bearer <apiKey>', async () => {
  for (const headers of /** @type {Record<string, string>[]} */ ([{}, { authorization: 'Bearer crona_sk_wrong' }, { authorization: box.credentials.crona.activationCode }])) {
    assertError(await call(`${box.cronaUrl}/api/v1/employees`, { headers }), 401, 'unauthorized');
  }
});

test('GET employees pages through everyone exactly once, sorted by AnstNr', async () => {
  const first = await api.crona('/api/v1/employees');
  assert.equal(first.status, 200);
  assert.equal(first.body.page, 1);
  assert.equal(first.body.pageSize, 50);
  const inspected = (await api.control('inspect')).body.crona.employees;
  assert.equal(first.body.total, inspected.length);
  /** @type {any[]} */
  const walked = [];
  for (let page = 1; ; page++) {
    const r = await api.crona(`/api/v1/employees?page=${page}&pageSize=7`);
    assert.equal(r.body.page, page);
    assert.equal(r.body.pageSize, 7);
    walked.push(...r.body.items);
    if (r.body.items.length < 7) break;
  }
  const nrs = walked.map((e) => e.AnstNr);
  assert.equal(new Set(nrs).size, nrs.length);
  assert.equal(nrs.length, first.body.total);
  assert.deepEqual(nrs, [...nrs].sort((a, b) => Number(a) - Number(b)));
  const beyond = await api.crona('/api/v1/employees?page=999&pageSize=200');
  assert.deepEqual(beyond.body.items, []);
});

test('bad paging is 400 invalid_parameter naming the field', async () => {
  for (const [q, field] of [['page=0', 'page'], ['page=-1', 'page'], ['page=x', 'page'], ['pageSize=0', 'pageSize'], ['pageSize=201', 'pageSize'], ['pageSize=1.5', 'pageSize']]) {
    assertError(await api.crona(`/api/v1/employees?${q}`), 400, 'invalid_parameter', field);
  }
  assert.equal((await api.crona('/api/v1/employees?pageSize=200')).status, 200);
  assert.equal((await api.crona('/api/v1/employees?pageSize=1')).body.items.length, 1);
});

test('employees have exactly the Crona fields: strings, Slutat boolean; empties both absent and null', async () => {
  const all = await api.allEmployees();
  let absent = 0, nulls = 0;
  for (const e of all) {
    for (const k of Object.keys(e)) assert.ok(FIELDS.includes(k), k);
    assert.match(e.AnstNr, /^\d+$/);
    for (const [k, v] of Object.entries(e)) {
      if (v === null) nulls++;
      else if (k === 'Slutat') assert.equal(typeof v, 'boolean');
      else assert.equal(typeof v, 'string', k);
    }
    for (const k of ['AnstDatum', 'AvgDatum']) if (e[k]) assert.match(e[k], /^\d{4}-\d{2}-\d{2}$/);
    absent += FIELDS.filter((k) => !(k in e)).length;
    if (e.AvgDatum && e.AvgDatum < '2026-11-25') assert.equal(e.Slutat, true, `${e.AnstNr} ended`);
  }
  assert.ok(absent > 0 && nulls > 0, `both absent (${absent}) and null (${nulls}) occur`);
});

test('GET one employee; an unknown AnstNr is 404 not_found', async () => {
  const [e] = (await api.crona('/api/v1/employees?pageSize=1')).body.items;
  assert.deepEqual((await api.crona(`/api/v1/employees/${e.AnstNr}`)).body, e);
  assertError(await api.crona('/api/v1/employees/999999'), 404, 'not_found');
});

test('POST creates (201) and GET returns it; the same AnstNr again is 409 employee_exists', async () => {
  const body = { AnstNr: '777001', FoNamn: 'Örjan', EfNamn: 'Söderberg', Mobil: '070-123 45 67', EpostArb: 'orjan.soderberg@exempelbygg.se', AnstDatum: '2026-12-01', Slutat: false, UtbetClearNr: '6114', UtbetKontoNr: '517182351' };
  const r = await api.crona('/api/v1/employees', { body });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, body);
  assert.equal(r.headers.get('location'), '/api/v1/employees/777001');
  assert.deepEqual((await api.crona('/api/v1/employees/777001')).body, body);
  assertError(await api.crona('/api/v1/employees', { body }), 409, 'employee_exists', 'AnstNr');
});

test('POST: unknown fields, wrong types, unreal dates and missing required fields are 422 invalid_field', async () => {
  const ok = { AnstNr: '777002', FoNamn: 'Åsa', EfNamn: 'Åberg' };
  /** @type {[object, string][]} */
  const cases = [
    [{ ...ok, Lon: '35000' }, 'Lon'],
    [{ ...ok, Slutat: 'ja' }, 'Slutat'],
    [{ ...ok, AnstDatum: '2026-02-30' }, 'AnstDatum'],
    [{ ...ok, AvgDatum: '30/06/2026' }, 'AvgDatum'],
    [{ ...ok, PostNr: 11453 }, 'PostNr'],
    [{ AnstNr: '777002', EfNamn: 'Åberg' }, 'FoNamn'],
    [{ AnstNr: '777002', FoNamn: 'Åsa', EfNamn: '  ' }, 'EfNamn'],
    [{ FoNamn: 'Åsa', EfNamn: 'Åberg' }, 'AnstNr'],
    [{ ...ok, AnstNr: 'A-17' }, 'AnstNr'],
  ];
  for (const [body, field] of cases) assertError(await api.crona('/api/v1/employees', { body }), 422, 'invalid_field', field);
  assertError(await api.crona('/api/v1/employees', { raw: '{"AnstNr": "1"', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
  assertError(await api.crona('/api/v1/employees', { body: [ok] }), 400, 'invalid_body');
  assert.equal((await api.crona('/api/v1/employees/777002')).status, 404, 'nothing was created');
});

test('PATCH changes only the fields sent; null empties; the write is logged with its body', async () => {
  const body = { AnstNr: '777003', FoNamn: 'Göran', EfNamn: 'Ågren', Mobil: '0701112233', EpostPriv: 'goran@example.org' };
  await api.crona('/api/v1/employees', { body });
  const { seq } = (await api.control('inspect?data=false')).body;
  const r = await api.crona('/api/v1/employees/777003', { method: 'PATCH', body: { Mobil: '+46701112244', EpostPriv: null, AvgDatum: '2026-12-31' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { AnstNr: '777003', FoNamn: 'Göran', EfNamn: 'Ågren', Mobil: '+46701112244', EpostPriv: null, AvgDatum: '2026-12-31' });
  const { writes } = (await api.control(`inspect?data=false&since=${seq}`)).body;
  assert.equal(writes.length, 1);
  assert.equal(writes[0].system, 'crona');
  assert.equal(writes[0].method, 'PATCH');
  assert.equal(writes[0].path, '/api/v1/employees/777003');
  assert.equal(writes[0].status, 200);
  assert.deepEqual(writes[0].body, { Mobil: '+46701112244', EpostPriv: null, AvgDatum: '2026-12-31' });
});

test('PATCH: AnstNr in the body or emptying FoNamn is 422; an unknown AnstNr is 404', async () => {
  const [e] = (await api.crona('/api/v1/employees?pageSize=1')).body.items;
  assertError(await api.crona(`/api/v1/employees/${e.AnstNr}`, { method: 'PATCH', body: { AnstNr: e.AnstNr } }), 422, 'invalid_field', 'AnstNr');
  assertError(await api.crona(`/api/v1/employees/${e.AnstNr}`, { method: 'PATCH', body: { FoNamn: '' } }), 422, 'invalid_field', 'FoNamn');
  assertError(await api.crona(`/api/v1/employees/${e.AnstNr}`, { method: 'PATCH', body: { Slutat: 1 } }), 422, 'invalid_field', 'Slutat');
  assertError(await api.crona('/api/v1/employees/999999', { method: 'PATCH', body: { Mobil: '1' } }), 404, 'not_found');
  assertError(await api.crona(`/api/v1/employees/${e.AnstNr}`, { method: 'PATCH', raw: 'Mobil=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  assert.deepEqual((await api.crona(`/api/v1/employees/${e.AnstNr}`)).body, e, 'unchanged');
});

test('unknown paths are 404 not_found, wrong methods 405, and nothing can be deleted', async () => {
  assertError(await api.crona('/api/v2/employees'), 404, 'not_found');
  const [e] = (await api.crona('/api/v1/employees?pageSize=1')).body.items;
  const r = await api.crona(`/api/v1/employees/${e.AnstNr}`, { method: 'DELETE' });
  assertError(r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'GET, PATCH');
});
