// The sandbox's generated data, read through its APIs: deterministic, realistic, valid where it should be, and
// every planted case present and exactly as recorded. The checks here are written independently of the
// generator (own normalisers, own check-digit rules from bank-accounts.md).
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { startSandbox } from '../sandbox/index.js';
import { call, clients } from '../sandbox/client.js';

const TODAY = '2026-11-25';
// every await happens before the first test() is registered: the runner starts tests as soon as they exist
// SANDBOX_TEST_SEED runs the same checks over another seed's data
const box = await startSandbox({ people: 40, today: TODAY, seed: Number(process.env.SANDBOX_TEST_SEED ?? 1) });
const big = await startSandbox({ people: 400, today: TODAY, seed: 3 + Number(process.env.SANDBOX_TEST_SEED ?? 0) });
after(() => Promise.all([box.close(), big.close()]));
const api = clients(box);

// ---- independent normalisers (DOMAIN.md §2–3) ----
/** @param {unknown} s */
const text = (s) => (typeof s === 'string' && s.trim() ? s.normalize('NFC').trim() : null);
/** @param {unknown} s */
const email = (s) => (typeof s === 'string' && s.trim() ? s.trim().toLowerCase() : null);
/** "070-123 45 67" / "+46 70 123 45 67" → "+46701234567"; null when it isn't a number. @param {unknown} s */
function phone(s) {
  if (typeof s !== 'string' || !s.trim()) return null;
  if (/[^\d\s+()-]/.test(s)) return 'INVALID';
  const d = s.replace(/[^\d+]/g, '');
  if (d.startsWith('+')) return d;
  if (d.startsWith('00')) return `+${d.slice(2)}`;
  return d.startsWith('0') ? `+46${d.slice(1)}` : d;
}
/** @param {unknown} s */
const country = (s) => {
  const t = text(s);
  return t && ['sverige', 'sweden', 'se'].includes(t.toLowerCase()) ? 'SE' : t;
};

// ---- independent Swedish bank-account rules (bank-accounts.md §2–5), for the ranges Swedish staff use ----
/** [from, to, type]: 'pk' = Nordea personkonto (2:1 over a personnummer). */
const RANGES = [
  [1100, 1199, '1:1'], [1200, 1399, '1:1'], [1400, 2099, '1:1'], [2300, 2399, '1:2'], [2400, 2499, '1:1'], [3000, 3299, '1:1'],
  [3300, 3300, 'pk'], [3301, 3399, '1:1'], [3400, 3409, '1:1'], [3410, 3781, '1:1'], [3782, 3782, 'pk'], [3783, 3999, '1:1'],
  [4000, 4999, '1:2'], [5000, 5999, '1:1'], [6000, 6999, '2:2'], [7000, 7999, '1:1'], [8000, 8999, '2:3'], [9020, 9029, '1:2'],
  [9060, 9069, '1:1'], [9150, 9169, '1:2'], [9250, 9259, '1:1'], [9270, 9279, '1:1'], [9550, 9564, '1:2'],
];
/** @param {string} d */
function luhnOk(d) {
  let sum = 0;
  for (let i = d.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let x = Number(d[i]) * (dbl ? 2 : 1);
    if (x > 9) x -= 9;
    sum += x;
  }
  return sum % 10 === 0;
}
/** weights 1, 2, … 10, 1 … from the right @param {string} d */
function mod11Ok(d) {
  let sum = 0;
  for (let i = d.length - 1, w = 1; i >= 0; i--, w = w === 10 ? 1 : w + 1) sum += Number(d[i]) * w;
  return sum % 11 === 0;
}
/** @param {string} clearingIn @param {string} accountIn @returns {{ c4: string, account: string } | null} */
function validAccount(clearingIn, accountIn) {
  const clearing = clearingIn.replace(/[\s.-]/g, ''), account0 = accountIn.replace(/[\s.-]/g, '');
  if (!/^\d+$/.test(clearing) || !/^\d+$/.test(account0)) return null;
  if (clearing.length === 5) {
    if (clearing[0] !== '8' || !luhnOk(clearing)) return null;
  } else if (clearing.length !== 4) return null;
  const c4 = clearing.slice(0, 4);
  const range = RANGES.find(([from, to]) => Number(c4) >= Number(from) && Number(c4) <= Number(to));
  if (!range) return null;
  const type = range[2];
  const [min, max] = { '1:1': [7, 7], '1:2': [7, 7], '2:2': [8, 9], '2:3': [7, 10], pk: [10, 10] }[/** @type {string} */ (type)] ?? [0, 0];
  let account = account0;
  while (account.length > (max ?? 0) && account.startsWith('0') && account.length <= 12) account = account.slice(1);
  if (account.length < (min ?? 0) || account.length > (max ?? 0) || /^0+$/.test(account)) return null;
  const ok = type === '1:1' ? mod11Ok(c4.slice(1) + account)
    : type === '1:2' ? mod11Ok(c4 + account)
      : type === '2:2' ? mod11Ok(account)
        : type === '2:3' ? luhnOk(account)
          : luhnOk(account) && isPnrDate(account);
  return ok ? { c4, account } : null;
}
/** @param {string} a */
function isPnrDate(a) {
  const mm = Number(a.slice(2, 4)), dd = Number(a.slice(4, 6)) % 60;
  return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}
/** Huma's one string, split as DOMAIN.md §3.4 says (trying the Swedbank 5-digit clearing first). @param {string} number */
function validHumaAccount(number) {
  const d = number.replace(/[\s.,-]/g, '');
  if (!/^\d+$/.test(d)) return null;
  if (d.startsWith('8')) {
    const five = validAccount(d.slice(0, 5), d.slice(5));
    if (five) return five;
  }
  return validAccount(d.slice(0, 4), d.slice(4));
}
/** @param {string} iban */
function validIban(iban) {
  const s = iban.replace(/\s/g, '');
  const n = (s.slice(4) + s.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return /^[A-Z]{2}\d{2}[0-9A-Z]+$/.test(s) && BigInt(n) % 97n === 1n;
}
/** A bank value (Huma's object or Crona's columns) normalised to "clearing4:account", 'INVALID' or null. @param {any} v */
function bank(v) {
  if (!v) return null;
  if (v.type === 'international') return `IBAN:${v.iban.replace(/\s/g, '')}`;
  const r = v.type === 'national' ? validHumaAccount(v.number) : validAccount(v.UtbetClearNr ?? '', v.UtbetKontoNr ?? '');
  return r ? `${r.c4}:${r.account.replace(/^0+/, '')}` : 'INVALID';
}

// ---- reading a field off each API, as the planted records hold it ----
const CRONA_COLS = { email: ['EpostArb'], employmentId: ['AnstNr'], givenName: ['FoNamn'], familyName: ['EfNamn'], address: ['Adress1', 'Adress2', 'PostNr', 'PostOrt', 'LandAdr'], phone: ['Mobil'], bankAccount: ['UtbetClearNr', 'UtbetKontoNr'], privateEmail: ['EpostPriv'] };
/** @param {any} d UserDetails @param {string} field */
function humaField(d, field) {
  if (field === 'email') return d.email.value;
  if (field === 'address') return d.homeAddress.value ?? null;
  return d[field].value ?? null;
}
/** @param {any} e Employee @param {string} field */
function cronaField(e, field) {
  const cols = /** @type {Record<string, string[]>} */ (CRONA_COLS)[field] ?? [];
  if (cols.length === 1) return e[/** @type {string} */ (cols[0])] ?? null;
  /** @type {Record<string, unknown>} */
  const v = {};
  for (const c of cols) v[c] = e[c] ?? null;
  return Object.values(v).some((x) => x !== null && x !== '') ? v : null;
}
/** Both sides of a field, normalised for comparison. @param {string} field @param {any} h @param {any} c */
function normalised(field, h, c) {
  switch (field) {
    case 'email': case 'privateEmail': return [email(h), email(c)];
    case 'phone': return [phone(h), phone(c)];
    case 'bankAccount': return [bank(h), bank(c)];
    case 'address': return [
      h && [text(h.line1), text(h.line2), String(h.postalCode).replace(/\D/g, ''), text(h.city), country(h.country)],
      c && [text(c.Adress1), text(c.Adress2), String(c.PostNr ?? '').replace(/\D/g, ''), text(c.PostOrt), country(c.LandAdr)],
    ];
    default: return [text(h), text(c)];
  }
}
const FIELDS = ['email', 'employmentId', 'givenName', 'familyName', 'address', 'phone', 'bankAccount', 'privateEmail'];

/** Everything both APIs serve, fetched once. */
const world = await (async () => {
  const users = await api.allHumaUsers();
  /** @type {Map<string, any>} */
  const details = new Map();
  for (const u of users) details.set(u.id, (await api.huma(`/users/${u.id}`)).body);
  const employees = await api.allEmployees();
  const company = String((await call(`${box.cronaUrl}/api/v1/activate`, { body: box.credentials.crona })).body.companyName);
  return { users, details, employees, byAnstNr: new Map(employees.map((e) => [e.AnstNr, e])), company };
})();
test('the independent bank checker agrees with the worked examples of bank-accounts.md', () => {
  for (const [c, a] of [['1274', '0235305'], ['9022', '1114884'], ['3300', '8411283941'], ['6114', '517182351'], ['8327-9', '014 725 892-5'], ['5000', '1111116']]) {
    assert.ok(validAccount(/** @type {string} */ (c), /** @type {string} */ (a)), `${c} ${a}`);
  }
  assert.equal(validAccount('6114', '517182352'), null);
  assert.equal(validAccount('8327-8', '0147258925'), null);
  for (const s of ['8327-9, 014 725 892-5', '6114 517182351', '3300-8411283941', '5000-1111116']) assert.ok(validHumaAccount(s), s);
});

/** @param {string} addr */
const cronaByEmail = (addr) => world.employees.filter((e) => email(e.EpostArb) === email(addr));
/** @param {string} addr */
const humaByEmail = (addr) => world.users.filter((u) => email(u.email) === email(addr));

test('same seed → byte-identical data; another seed → different data', async () => {
  const a = await startSandbox({ seed: 5, people: 60 });
  const b = await startSandbox({ seed: 5, people: 60 });
  const c = await startSandbox({ seed: 6, people: 60 });
  try {
    /** @param {{ url: string }} s */
    const data = async (s) => {
      const r = await fetch(`${s.url}/_sandbox/inspect`);
      const { huma, crona, planted } = await r.json();
      return JSON.stringify({ huma, crona, planted });
    };
    const [da, db, dc] = [await data(a), await data(b), await data(c)];
    assert.equal(da, db);
    assert.notEqual(da, dc);
    assert.deepEqual(a.credentials, b.credentials);
    assert.notDeepEqual(a.credentials, c.credentials);
    // and the APIs serve it identically
    const ua = await clients(a).allHumaUsers();
    const ub = await clients(b).allHumaUsers();
    assert.deepEqual(ua, ub);
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

const KINDS = ['conflict', 'missingInHuma', 'missingInCrona', 'equivalentFormat', 'emailCaseOnly', 'onlyInHuma', 'onlyInHumaNoEmploymentId',
  'onlyInCrona', 'onlyInCronaNoEmail', 'outOfScope', 'duplicateEmailCrona', 'duplicatePhoneHuma', 'duplicateEmploymentIdHuma',
  'invalidBankAccountHuma', 'invalidBankAccountCrona', 'internationalBankAccount', 'invalidPhoneHuma', 'invalidPrivateEmailCrona',
  'deactivated', 'deactivatedOnlyInHuma', 'pendingEmailChange', 'notEditable', 'addressLine3', 'positionsNone', 'positionsSeveral',
  'positionUpcoming', 'positionEnded', 'positionEndsLater', 'positionEndsToday', 'positionNoStartDate', 'positionRehired'];

test('every planted kind is present with 40 people, and conflicts and missing values cover every mapped field', () => {
  const kinds = new Set(box.planted.map((c) => c.kind));
  assert.deepEqual([...kinds].sort(), [...KINDS].sort());
  for (const field of FIELDS.filter((f) => f !== 'email')) {
    assert.ok(box.planted.some((c) => c.kind === 'conflict' && c.field === field), `conflict ${field}`);
    assert.ok(box.planted.some((c) => c.kind === 'missingInHuma' && c.field === field), `missingInHuma ${field}`);
    if (field !== 'employmentId') assert.ok(box.planted.some((c) => c.kind === 'missingInCrona' && c.field === field), `missingInCrona ${field}`);
  }
  for (const part of ['line1', 'postalCode']) assert.ok(box.planted.some((c) => c.kind === 'conflict' && c.part === part), part);
  for (const c of box.planted) assert.equal(typeof c.note, 'string');
});

test('every planted record holds exactly what the APIs serve', async () => {
  for (const c of box.planted) {
    const where = `${c.kind} ${c.field ?? ''} ${c.humaId ?? ''} ${c.anstNr ?? ''}`;
    const d = c.humaId ? world.details.get(c.humaId) : undefined;
    const e = c.anstNr ? world.byAnstNr.get(c.anstNr) : undefined;
    if (c.humaId) assert.ok(d, `${where}: Huma user exists`);
    if (c.anstNr) assert.ok(e, `${where}: Crona employee exists`);
    if (c.humaId && c.email) assert.equal(c.email, d.email.value, where);
    if (c.kind.startsWith('position')) {
      const list = (await api.huma(`/users/${c.humaId}/positions`)).body.items;
      const served = list.map((/** @type {any} */ p) => ({ id: p.id, contractStartDate: p.contractStartDate ?? null, contractEndDate: p.contractEndDate ?? null, titleId: p.title?.id ?? null, status: p.status }));
      /** @param {any[]} xs */
      const byId = (xs) => [...xs].sort((x, y) => (x.id < y.id ? -1 : 1));
      assert.deepEqual(byId(served), byId(/** @type {any[]} */ (c.huma)), where);
      assert.deepEqual(c.crona, { AnstDatum: e.AnstDatum ?? null, AvgDatum: e.AvgDatum ?? null, Slutat: e.Slutat ?? null, Befattning: e.Befattning ?? null }, where);
    } else if (c.humaIds) {
      const values = c.humaIds.map((id) => humaField(world.details.get(id), /** @type {string} */ (c.field)));
      assert.deepEqual(values, c.huma, where);
      for (const nr of c.anstNrs ?? []) assert.ok(world.byAnstNr.has(nr), `${where}: ${nr}`);
    } else if (c.kind === 'pendingEmailChange') {
      assert.deepEqual(c.huma, { value: d.email.value, requestedValue: d.email.requestedValue }, where);
      assert.equal(c.crona, e.EpostArb, where);
    } else if (c.field && !c.anstNrs) {
      if (d) assert.deepEqual(humaField(d, c.field), c.huma, `${where} (Huma)`);
      if (e) assert.deepEqual(cronaField(e, c.field), c.crona, `${where} (Crona)`);
    }
  }
});

test('conflicts differ after normalisation; missing values are empty on exactly one side', () => {
  for (const c of box.planted.filter((p) => ['conflict', 'missingInHuma', 'missingInCrona'].includes(p.kind))) {
    const field = /** @type {string} */ (c.field);
    const [h, k] = normalised(field, c.huma, c.crona);
    const where = `${c.kind} ${field} ${c.part ?? ''}`;
    if (c.kind === 'conflict') {
      assert.ok(h !== null && k !== null, where);
      assert.notDeepEqual(h, k, where);
    } else if (c.kind === 'missingInHuma') {
      assert.equal(c.huma, null, where);
      assert.notEqual(k, null, where);
    } else if (c.part === 'line2') {
      assert.ok(/** @type {any} */ (c.huma).line2, where);
      assert.equal(/** @type {any} */ (c.crona).Adress2, null, where);
    } else {
      assert.equal(c.crona, null, where);
      assert.notEqual(h, null, where);
    }
  }
});

test('equivalent formats differ as text but are equal after normalisation', () => {
  const cases = box.planted.filter((c) => c.kind === 'equivalentFormat');
  assert.deepEqual(cases.map((c) => `${c.field}${c.part ? `.${c.part}` : ''}`).sort(), ['address.country', 'address.postalCode', 'bankAccount', 'givenName', 'phone']);
  for (const c of cases) {
    const field = /** @type {string} */ (c.field);
    const [h, k] = normalised(field, c.huma, c.crona);
    assert.deepEqual(h, k, field);
    assert.notEqual(h, null);
    const raw = field === 'bankAccount' ? [/** @type {any} */ (c.huma).number, Object.values(/** @type {any} */ (c.crona)).join('')]
      : field === 'address' ? [JSON.stringify(Object.values(/** @type {any} */ (c.huma))), JSON.stringify(Object.values(/** @type {any} */ (c.crona)))]
        : [c.huma, c.crona];
    assert.notEqual(raw[0], raw[1], `${field}: written differently`);
  }
  const nfd = /** @type {any} */ (cases.find((c) => c.field === 'givenName'));
  assert.notEqual(nfd.huma, nfd.huma.normalize('NFC'), 'Huma has it decomposed');
});

test('one-side-only, out-of-scope and duplicate cases are what they say', () => {
  /** @param {string} kind */
  const of = (kind) => box.planted.filter((c) => c.kind === kind);
  const anstNrs = new Set(world.employees.map((e) => e.AnstNr));
  for (const c of of('onlyInHuma')) {
    assert.deepEqual(cronaByEmail(String(c.email)), []);
    const id = world.details.get(String(c.humaId)).employmentId.value;
    assert.ok(id && !anstNrs.has(id), 'an employment id no Crona employee has');
  }
  for (const c of of('onlyInHumaNoEmploymentId')) {
    assert.deepEqual(cronaByEmail(String(c.email)), []);
    assert.equal(world.details.get(String(c.humaId)).employmentId.value ?? null, null);
  }
  for (const c of of('onlyInCrona')) {
    assert.ok(c.email);
    assert.deepEqual(humaByEmail(String(c.email)), []);
    assert.equal(c.humaId, undefined);
  }
  for (const c of of('onlyInCronaNoEmail')) assert.equal(world.byAnstNr.get(String(c.anstNr)).EpostArb ?? null, null);
  const scoped = of('outOfScope');
  assert.equal(scoped.length, 2);
  for (const c of scoped) {
    const u = world.users.find((x) => x.id === c.humaId);
    assert.notEqual(u.companies[0].name, world.company);
    assert.deepEqual(cronaByEmail(String(c.email)), []);
  }
  const [dupMail] = of('duplicateEmailCrona');
  const both = (dupMail?.anstNrs ?? []).map((nr) => world.byAnstNr.get(nr));
  assert.equal(both.length, 2);
  assert.equal(email(both[0].EpostArb), email(both[1].EpostArb));
  assert.equal(email(both[0].EpostArb), email(String(dupMail?.email)));
  assert.equal(cronaByEmail(String(dupMail?.email)).length, 2);
  const [dupPhone] = of('duplicatePhoneHuma');
  const phones = /** @type {string[]} */ (dupPhone?.huma);
  assert.notEqual(phones[0], phones[1], 'written differently');
  assert.equal(phone(phones[0]), phone(phones[1]));
  const [dupId] = of('duplicateEmploymentIdHuma');
  const ids = (dupId?.humaIds ?? []).map((id) => world.details.get(id).employmentId.value);
  assert.equal(ids.length, 2);
  assert.equal(ids[0], ids[1]);
  const [caseOnly] = of('emailCaseOnly');
  assert.notEqual(caseOnly?.huma, caseOnly?.crona);
  assert.equal(email(caseOnly?.huma), email(caseOnly?.crona));
});

test('Huma flags: deactivated, pending e-mail, not editable, address line 3', () => {
  /** @param {string} kind */
  const one = (kind) => /** @type {import('../sandbox/types.js').PlantedCase} */ (box.planted.find((c) => c.kind === kind));
  for (const kind of ['deactivated', 'deactivatedOnlyInHuma']) {
    const d = world.details.get(String(one(kind).humaId));
    assert.equal(d.status.active, false, kind);
    assert.ok(d.status.deactivatedAt, kind);
  }
  assert.deepEqual(cronaByEmail(String(one('deactivatedOnlyInHuma').email)), []);
  const [hp, cp] = normalised('phone', one('deactivated').huma, one('deactivated').crona);
  assert.ok(hp && cp && hp !== cp, 'the deactivated person has a phone conflict');
  const pending = /** @type {any} */ (one('pendingEmailChange').huma);
  assert.ok(pending.requestedValue && email(pending.requestedValue) !== email(pending.value));
  const locked = one('notEditable');
  const ld = world.details.get(String(locked.humaId));
  assert.equal(ld.employmentId.editable, false);
  assert.ok(ld.employmentId.integrations);
  assert.notEqual(ld.employmentId.value, locked.anstNr);
  const l3 = one('addressLine3');
  assert.ok(/** @type {any} */ (l3.huma).line3.startsWith('c/o '));
  const [h, k] = normalised('address', l3.huma, l3.crona);
  assert.deepEqual(h, k, 'apart from line 3 the addresses agree');
});

test('invalid and international values: bad check digits, a non-number phone, a non-address e-mail, an IBAN', () => {
  /** @param {string} kind */
  const one = (kind) => /** @type {import('../sandbox/types.js').PlantedCase} */ (box.planted.find((c) => c.kind === kind));
  assert.equal(bank(one('invalidBankAccountHuma').huma), 'INVALID');
  assert.notEqual(bank(one('invalidBankAccountHuma').crona), 'INVALID');
  assert.equal(bank(one('invalidBankAccountCrona').crona), 'INVALID');
  assert.notEqual(bank(one('invalidBankAccountHuma').huma), null);
  assert.notEqual(bank(one('invalidBankAccountCrona').huma), 'INVALID');
  const intl = /** @type {any} */ (one('internationalBankAccount'));
  assert.equal(intl.huma.type, 'international');
  assert.ok(validIban(intl.huma.iban), intl.huma.iban);
  assert.match(intl.huma.bic, /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/);
  assert.equal(intl.crona, null);
  assert.equal(phone(one('invalidPhoneHuma').huma), 'INVALID');
  assert.equal(one('invalidPhoneHuma').crona, null);
  assert.doesNotMatch(String(one('invalidPrivateEmailCrona').crona), /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  assert.equal(one('invalidPrivateEmailCrona').huma, null);
});

/** DOMAIN.md §2, written again here: AnstDatum, AvgDatum, Slutat, Befattning from positions. @param {any[]} ps @param {Map<string, string>} titles */
function derive(ps, titles) {
  const starts = ps.map((p) => p.contractStartDate).filter(Boolean).sort();
  const AvgDatum = ps.length && ps.every((p) => p.contractEndDate) ? ps.map((p) => p.contractEndDate).sort().at(-1) : null;
  const current = ps.filter((p) => p.status === 'CURRENT').sort((a, b) => String(b.contractStartDate ?? '').localeCompare(String(a.contractStartDate ?? '')));
  const upcoming = ps.filter((p) => p.status === 'UPCOMING').sort((a, b) => String(a.contractStartDate).localeCompare(String(b.contractStartDate)));
  const ended = ps.filter((p) => p.status === 'ENDED').sort((a, b) => String(b.contractEndDate).localeCompare(String(a.contractEndDate)));
  const primary = current[0] ?? upcoming[0] ?? ended[0];
  return { AnstDatum: starts[0] ?? null, AvgDatum, Slutat: AvgDatum !== null && AvgDatum < TODAY, Befattning: primary ? titles.get(primary.titleId) ?? null : null };
}

test('position cases: statuses against today, and the derived Crona values (which Crona holds, except positionsNone)', async () => {
  const titles = new Map((await api.huma('/job-titles')).body.map((/** @type {any} */ t) => [t.id, t.name]));
  /** @type {Record<string, (ps: any[], d: any) => void>} */
  const shape = {
    positionsNone: (ps) => assert.equal(ps.length, 0),
    positionsSeveral: (ps) => assert.deepEqual(ps.map((p) => p.status).sort(), ['CURRENT', 'ENDED', 'ENDED']),
    positionUpcoming: (ps, d) => { assert.deepEqual(ps.map((p) => p.status), ['UPCOMING']); assert.equal(d.Slutat, false); assert.ok(d.AnstDatum > TODAY); },
    positionEnded: (ps, d) => { assert.deepEqual(ps.map((p) => p.status), ['ENDED']); assert.equal(d.Slutat, true); },
    positionEndsLater: (ps, d) => { assert.ok(d.AvgDatum > TODAY); assert.equal(d.Slutat, false); },
    positionEndsToday: (ps, d) => { assert.equal(d.AvgDatum, TODAY); assert.equal(d.Slutat, false); assert.deepEqual(ps.map((p) => p.status), ['CURRENT']); },
    positionNoStartDate: (ps, d) => { assert.ok(ps.some((p) => !p.contractStartDate)); assert.equal(d.AnstDatum, ps.find((p) => p.contractStartDate).contractStartDate); },
    positionRehired: (ps, d) => { assert.equal(d.AvgDatum, null); assert.deepEqual(ps.map((p) => p.status).sort(), ['CURRENT', 'ENDED']); },
  };
  for (const c of box.planted.filter((p) => p.kind.startsWith('position'))) {
    const ps = /** @type {any[]} */ (c.huma);
    const d = derive(ps, titles);
    assert.deepEqual(c.expected, d, c.kind);
    shape[c.kind]?.(ps, d);
    if (c.kind === 'positionsNone') assert.ok(/** @type {any} */ (c.crona).AnstDatum, 'payroll keeps its own start date');
    else assert.deepEqual(c.crona, d, `${c.kind}: Crona holds the derived values`);
  }
});

test('everyone not planted exists on both sides with equal values (after normalisation)', () => {
  const planted = new Set(box.planted.flatMap((c) => [c.humaId, c.anstNr, ...(c.humaIds ?? []), ...(c.anstNrs ?? [])]).filter(Boolean));
  let compared = 0;
  for (const u of world.users) {
    if (planted.has(u.id)) continue;
    const matches = cronaByEmail(u.email);
    assert.equal(matches.length, 1, `${u.email} is in Crona once`);
    const e = matches[0];
    assert.ok(!planted.has(e.AnstNr));
    const d = world.details.get(u.id);
    for (const f of FIELDS) {
      const [h, k] = normalised(f, humaField(d, f), cronaField(e, f));
      assert.deepEqual(h, k, `${u.email} ${f}`);
    }
    compared++;
  }
  assert.ok(compared >= 3, `compared ${compared}`);
  const unplantedCrona = world.employees.filter((e) => !planted.has(e.AnstNr));
  assert.equal(unplantedCrona.length, compared, 'and no unplanted Crona employee is left over');
});

test('every generated bank account is valid, on both sides, in many banks and many typed shapes', async () => {
  {
    const b = clients(big);
    const bad = new Set(big.planted.filter((c) => c.kind.startsWith('invalidBankAccount')).flatMap((c) => [c.humaId, c.anstNr]));
    const employees = await b.allEmployees();
    const clearings = new Set();
    for (const e of employees) {
      if (!e.UtbetClearNr || bad.has(e.AnstNr)) continue;
      assert.ok(validAccount(e.UtbetClearNr, e.UtbetKontoNr), `${e.AnstNr}: ${e.UtbetClearNr} ${e.UtbetKontoNr}`);
      clearings.add(e.UtbetClearNr.length === 5 ? 'swedbank5' : RANGES.find(([f, t]) => Number(e.UtbetClearNr) >= Number(f) && Number(e.UtbetClearNr) <= Number(t))?.[2]);
    }
    assert.deepEqual([...clearings].sort(), ['1:1', '1:2', '2:2', '2:3', 'pk', 'swedbank5']);
    const users = (await b.control('inspect')).body.huma.users;
    const shapes = new Set();
    for (const u of users) {
      if (u.bankAccount?.type !== 'national' || bad.has(u.id)) continue;
      assert.ok(validHumaAccount(u.bankAccount.number), `${u.email}: ${u.bankAccount.number}`);
      shapes.add(u.bankAccount.number.replace(/\d/g, '9'));
    }
    for (const s of ['9999-9, 999 999 999-9', '9999 999999999', '9999-9999999999', '9999-9999999']) assert.ok(shapes.has(s), `typed as ${s}`);
  }
});

test('at scale the bulk varies too: people without positions, start-less old positions, e-mail case, both empty shapes', async () => {
  const { huma, crona } = (await clients(big).control('inspect')).body;
  /** @type {Map<string, any[]>} */
  const byUser = new Map();
  for (const p of huma.positions) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
  const planted = new Set(big.planted.map((c) => c.humaId));
  const bulk = huma.users.filter((/** @type {any} */ u) => !planted.has(u.id));
  assert.ok(bulk.some((/** @type {any} */ u) => !byUser.get(u.id)?.length), 'someone without positions');
  assert.ok(bulk.some((/** @type {any} */ u) => byUser.get(u.id)?.some((p) => !p.contractStartDate)), 'an old position without start date');
  assert.ok(bulk.some((/** @type {any} */ u) => (byUser.get(u.id)?.length ?? 0) > 1), 'several positions');
  assert.ok(huma.positions.some((/** @type {any} */ p) => p.contractEndDate && p.contractEndDate > TODAY), 'an end date ahead');
  const mails = new Map(bulk.map((/** @type {any} */ u) => [u.email.toLowerCase(), u.email]));
  assert.ok(crona.employees.some((/** @type {any} */ e) => e.EpostArb && mails.has(e.EpostArb.toLowerCase()) && mails.get(e.EpostArb.toLowerCase()) !== e.EpostArb), 'a work e-mail typed with capitals in Crona');
  assert.ok(crona.employees.some((/** @type {any} */ e) => e.Befattning && e.AnstDatum), 'payroll has dates and titles');
});



test('the data looks Swedish: å/ä/ö names, real postcode ranges per city, mixed phone and postcode shapes', () => {
  const names = world.users.map((u) => `${u.givenName} ${u.familyName}`).join(' ');
  assert.match(names, /[åäöÅÄÖ]/);
  const ranges = { Stockholm: /^1\d\d/, 'Göteborg': /^41\d/, 'Malmö': /^21\d/, Uppsala: /^75\d/, 'Umeå': /^90\d/ };
  const phoneShapes = new Set();
  let spaced = 0, joined = 0;
  for (const d of world.details.values()) {
    const a = d.homeAddress.value;
    if (a) {
      const re = /** @type {Record<string, RegExp>} */ (ranges)[a.city];
      if (re) assert.match(a.postalCode.replace(' ', ''), re, `${a.city} ${a.postalCode}`);
      if (a.postalCode.includes(' ')) spaced++; else joined++;
    }
    if (d.phone.value) phoneShapes.add(d.phone.value.replace(/\d/g, '9'));
    assert.match(d.email.value, /^[a-z0-9.-]+@[a-z]+\.se$/);
    assert.equal(d.email.value.split('@')[1], world.users[0].email.split('@')[1], 'one company domain');
  }
  assert.ok(spaced > 0 && joined > 0);
  for (const s of ['999-999 99 99', '+99 99 999 99 99', '9999999999', '+99999999999']) assert.ok(phoneShapes.has(s), `phone typed as ${s}`);
  assert.ok(world.employees.some((e) => e.LandAdr === 'Sverige') && world.employees.some((e) => e.LandAdr === 'SE'));
});

// How fast it generates is for the benchmark; tests never assert times (shared, noisy machines).
test('more people add plain matched persons only, and 10 000 of them page correctly', async () => {
  const large = await startSandbox({ people: 10000 });
  try {
    assert.deepEqual(large.planted.map((c) => c.kind).sort(), box.planted.map((c) => c.kind).sort());
    const b = clients(large);
    const humaTotal = (await b.huma('/users?limit=0')).body.total;
    const cronaTotal = (await b.crona('/api/v1/employees?pageSize=1')).body.total;
    /** @param {string} k */
    const n = (k) => large.planted.filter((c) => c.kind === k).length;
    assert.equal(humaTotal, 10000 - n('onlyInCrona') - n('onlyInCronaNoEmail'));
    assert.equal(cronaTotal, 10000 - n('onlyInHuma') - n('onlyInHumaNoEmploymentId') - n('deactivatedOnlyInHuma') - n('outOfScope') + 1);
    const last = await b.huma(`/users?limit=50&offset=${humaTotal - 50}`);
    assert.equal(last.body.items.length, 50);
  } finally {
    await large.close();
  }
});

// ---- drift: a share of the plain matched persons get exactly one everyday difference ----

/** The data a sandbox holds, as one string. @param {{ url: string }} s */
async function dataOf(s) {
  const { huma, crona, planted, drifted } = (await call(`${s.url}/_sandbox/inspect`)).body;
  return JSON.stringify({ huma, crona, planted, drifted });
}

/**
 * Every matched Huma user with the mapped fields that differ (after normalisation) from their Crona employee,
 * read through both APIs. @param {{ url: string, humaUrl: string, cronaUrl: string, credentials: any }} s
 */
async function differences(s) {
  const b = clients(s);
  const users = await b.allHumaUsers();
  const employees = await b.allEmployees();
  /** @type {Map<string, any[]>} */
  const byEmail = new Map();
  for (const e of employees) if (e.EpostArb) byEmail.set(email(e.EpostArb) ?? '', [...(byEmail.get(email(e.EpostArb) ?? '') ?? []), e]);
  /** @type {Map<string, { anstNr: string, fields: string[], details: any, employee: any }>} */
  const out = new Map();
  for (const u of users) {
    const matches = byEmail.get(email(u.email) ?? '') ?? [];
    if (matches.length !== 1) continue;
    const d = (await b.huma(`/users/${u.id}`)).body;
    const e = matches[0];
    const fields = FIELDS.filter((f) => {
      const [h, k] = normalised(f, humaField(d, f), cronaField(e, f));
      return !isDeepStrictEqual(h, k);
    });
    out.set(u.id, { anstNr: e.AnstNr, fields, details: d, employee: e });
  }
  return out;
}

const DRIFT_KINDS = ['conflict address line1', 'conflict bankAccount', 'conflict familyName', 'conflict phone', 'missingInCrona privateEmail', 'missingInHuma phone'];

test('drift 0 leaves the data identical to no drift option, and records no drifted person', async () => {
  const seed = 5 + Number(process.env.SANDBOX_TEST_SEED ?? 0);
  const plain = await startSandbox({ seed, people: 120 });
  const zero = await startSandbox({ seed, people: 120, drift: 0 });
  try {
    assert.equal(await dataOf(zero), await dataOf(plain));
    assert.deepEqual(zero.credentials, plain.credentials);
    assert.deepEqual(zero.drifted, []);
    const info = (await clients(zero).control('info')).body;
    assert.equal(info.drift, 0);
    assert.equal(info.drifted, 0);
    assert.equal((await clients(plain).control('info')).body.drift, 0, 'the default is 0');
  } finally {
    await Promise.all([plain.close(), zero.close()]);
  }
});

test('drift 0.1 over 1 000 people: about 100 plain persons differ in exactly one mapped field each, planted cases unchanged', async () => {
  const seed = 3 + Number(process.env.SANDBOX_TEST_SEED ?? 0);
  const drifting = await startSandbox({ seed, people: 1000, today: TODAY, drift: 0.1 });
  const steady = await startSandbox({ seed, people: 1000, today: TODAY });
  try {
    const info = (await clients(drifting).control('info')).body;
    assert.equal(info.drift, 0.1);
    assert.equal(info.drifted, drifting.drifted.length, 'info counts the recorded persons');
    assert.deepEqual((await clients(drifting).control('drifted')).body, drifting.drifted);
    const count = drifting.drifted.length;
    assert.ok(count >= 80 && count <= 120, `drifted ${count}`);
    assert.deepEqual(drifting.planted, steady.planted, 'planted cases are the same, drifted persons not among them');

    const planted = new Set(drifting.planted.flatMap((c) => [c.humaId, c.anstNr, ...(c.humaIds ?? []), ...(c.anstNrs ?? [])]).filter(Boolean));
    const first = (await clients(drifting).control('inspect')).body.huma.users[0];
    const recorded = new Map(drifting.drifted.map((c) => [c.humaId, c]));
    assert.equal(recorded.size, count, 'each person drifts once');
    assert.ok(!recorded.has(first.id), 'person 0 (the managing director) never drifts');
    assert.deepEqual([...new Set(drifting.drifted.map((c) => `${c.kind} ${c.field}${c.part ? ` ${c.part}` : ''}`))].sort(), DRIFT_KINDS);

    const diffs = await differences(drifting);
    for (const c of drifting.drifted) {
      const where = `${c.kind} ${c.field} ${c.email}`;
      assert.ok(!planted.has(c.humaId) && !planted.has(c.anstNr), `${where}: not planted`);
      const d = diffs.get(c.humaId);
      assert.ok(d, `${where}: matched by work e-mail`);
      assert.equal(d.anstNr, c.anstNr, where);
      assert.equal(d.details.email.value, c.email, where);
      assert.deepEqual(d.fields, [c.field], `${where}: exactly one differing field`);
      assert.deepEqual(humaField(d.details, c.field), c.huma, `${where}: the record holds what Huma serves`);
      assert.deepEqual(cronaField(d.employee, c.field), c.crona, `${where}: the record holds what Crona serves`);
      const [h, k] = normalised(c.field, c.huma, c.crona);
      if (c.kind === 'conflict') assert.ok(h !== null && k !== null, where);
      if (c.kind === 'missingInHuma') assert.ok(h === null && k !== null, where);
      if (c.kind === 'missingInCrona') assert.ok(h !== null && c.crona === null, where);
      if (c.field === 'bankAccount') assert.ok(k !== 'INVALID' && h !== 'INVALID', `${where}: both accounts valid`);
      if (c.field === 'address') {
        const [ha, ka] = /** @type {any[][]} */ ([h, k]);
        assert.notEqual(ha[0], ka[0], `${where}: line 1 differs`);
        assert.deepEqual(ha.slice(1), ka.slice(1), `${where}: the rest of the address agrees`);
      }
    }
    // everyone else who is neither planted nor drifted still agrees in every field
    const unexpected = [...diffs].filter(([id, d]) => !recorded.has(id) && !planted.has(id) && !planted.has(d.anstNr) && d.fields.length);
    assert.deepEqual(unexpected.map(([id, d]) => `${id} ${d.fields}`), []);
    const steadyDiffs = [...(await differences(steady))].filter(([id, d]) => !planted.has(id) && !planted.has(d.anstNr) && d.fields.length);
    assert.deepEqual(steadyDiffs, [], 'without drift no plain person differs');
  } finally {
    await Promise.all([drifting.close(), steady.close()]);
  }
});

test('drift: same (seed, people, today, drift) → identical data; reset {drift} regenerates and keeps it; bad values are refused', async () => {
  const a = await startSandbox({ seed: 7, people: 300, today: TODAY, drift: 0.25 });
  const b = await startSandbox({ seed: 7, people: 300, today: TODAY, drift: 0.25 });
  const c = await startSandbox({ seed: 7, people: 300, today: TODAY, drift: 0.5 });
  try {
    const da = await dataOf(a);
    assert.equal(da, await dataOf(b));
    assert.deepEqual(a.drifted, b.drifted);
    assert.ok(a.drifted.length > 0);
    assert.notEqual(da, await dataOf(c));
    assert.deepEqual(a.planted, c.planted);
    const smaller = new Set(a.drifted.map((x) => x.humaId));
    assert.ok(c.drifted.length > a.drifted.length);
    assert.equal(c.drifted.filter((x) => smaller.has(x.humaId)).length, a.drifted.length, 'a larger drift keeps the persons a smaller one chose');

    const api2 = clients(c);
    const r = await api2.control('reset', { drift: 0.25 });
    assert.equal(r.status, 200);
    assert.equal(r.body.drift, 0.25);
    assert.equal(r.body.drifted, a.drifted.length);
    assert.equal(await dataOf(c), da, 'reset to the same inputs: the same data');
    const kept = await api2.control('reset', { people: 300 });
    assert.equal(kept.body.drift, 0.25, 'omitted drift is kept');
    for (const bad of [-0.1, 1.5, '0.1', null]) assert.equal((await api2.control('reset', { drift: bad })).status, 400, String(bad));
    assert.equal((await api2.control('reset', { drift: 0 })).body.drifted, 0);
    await assert.rejects(startSandbox({ drift: 2 }), TypeError);
    await assert.rejects(startSandbox({ drift: Number.NaN }), TypeError);
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

test('CLI: --drift 0.1 generates drifted persons; --drift outside 0..1 is a usage error', async () => {
  const main = fileURLToPath(new URL('../sandbox/main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--port', '0', '--people', '200', '--drift', '0.1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes('\n')) break;
    }
    const line = JSON.parse(out.split('\n')[0] ?? '');
    const info = (await call(`${line.url}/_sandbox/info`)).body;
    assert.equal(info.drift, 0.1);
    assert.equal(info.people, 200);
    assert.ok(info.drifted > 0);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal((await once(child, 'exit'))[0], 0);
  const bad = spawn(process.execPath, [main, '--drift', '1.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bad.stderr.setEncoding('utf8');
  bad.stderr.on('data', (chunk) => (err += chunk));
  assert.equal((await once(bad, 'exit'))[0], 2);
  assert.match(err, /--drift must be a number in 0\.\.1/);
});
