// Who may use the integration service: the first administrator through the setup link (once),
// passwords checked with scrypt and rate limited, one-time sign-in links, cookies the page's
// scripts can't read and other sites can't send, and `crona-sync admin` on the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startService } from '../../pkg/lib/service/server.js';
import { Store } from '../../pkg/lib/service/store.js';
import { PASSWORD, service } from './support/service.js';
import { runCli } from './support/cli.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const s = await service();

/** @param {{ headers: Headers }} r */
const cookieOf = (r) => /** @type {string} */ (r.headers.get('set-cookie')).split(';')[0];

test('the first start prints a setup link; it creates the first administrator once, and signs them in', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'crona-sync-setup-')), 'data');
  /** @type {string[]} */
  const lines = [];
  const fresh = await startService({ data: dir, port: 0, env: {}, log: (l) => lines.push(l) });
  try {
    assert.match(fresh.setupLink ?? '', /^http:\/\/127\.0\.0\.1:\d+\/#setup=[A-Za-z0-9_-]{43}$/);
    assert.ok(lines.some((l) => l.includes(/** @type {string} */ (fresh.setupLink))));
    const token = /** @type {string} */ (fresh.setupLink).split('#setup=')[1];
    const post = (/** @type {string} */ path, /** @type {object} */ body, /** @type {Record<string, string>} */ extra = {}) =>
      fetch(`${fresh.url}${path}`, { method: 'POST', headers: { origin: fresh.url, 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) });
    const before = await fetch(`${fresh.url}/api/session`);
    assert.equal(before.status, 401);
    assert.deepEqual((await before.json()).error.details, { setup: true });
    const short = await post('/api/setup', { token, name: 'anna', password: 'too short' });
    assert.equal(short.status, 400);
    assert.equal((await short.json()).error.code, 'invalid_argument');
    const made = await post('/api/setup', { token, name: 'anna', password: PASSWORD });
    assert.equal(made.status, 201);
    assert.deepEqual(await made.json(), { admin: { name: 'anna' } });
    const me = await fetch(`${fresh.url}/api/session`, { headers: { cookie: cookieOf(made) } });
    assert.deepEqual(await me.json(), { admin: { name: 'anna' } });
    const again = await post('/api/setup', { token, name: 'mallory', password: PASSWORD });
    assert.equal(again.status, 403);
    assert.equal((await again.json()).error.code, 'setup_link_invalid');
    assert.equal(fresh.store.adminCount(), 1);
  } finally {
    await fresh.close();
  }
  // A second start with an administrator prints no setup link.
  const second = await startService({ data: dir, port: 0, env: {}, quiet: true });
  assert.equal(second.setupLink, null);
  await second.close();
});

test('a wrong password and an unknown name get the same answer; the session cookie is HttpOnly and SameSite=Strict', async () => {
  const wrong = await s.call('POST', '/api/signin', { name: 'anna', password: 'not the password' });
  const unknown = await s.call('POST', '/api/signin', { name: 'nobody', password: 'not the password' });
  assert.deepEqual([wrong.status, wrong.json], [401, { error: { code: 'signin_failed', message: "That name and password don't match an administrator.", details: null }, message: "That name and password don't match an administrator." }]);
  assert.deepEqual([unknown.status, unknown.json], [wrong.status, wrong.json]);
  const ok = await s.call('POST', '/api/signin', { name: 'anna', password: PASSWORD });
  assert.equal(ok.status, 200);
  assert.match(/** @type {string} */ (ok.headers.get('set-cookie')), /^crona_sync_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/);
  const cookie = cookieOf(ok);
  assert.equal((await s.call('GET', '/api/connections', undefined, { cookie })).status, 200);
  const out = await s.call('POST', '/api/signout', undefined, { cookie });
  assert.equal(out.status, 204);
  assert.match(/** @type {string} */ (out.headers.get('set-cookie')), /Max-Age=0/);
  assert.equal((await s.call('GET', '/api/connections', undefined, { cookie })).status, 401, 'a signed-out session opens nothing');
});

test('behind an https proxy (--trust-proxy) the cookie is Secure and the forwarded origin is the one checked', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'crona-sync-proxy-')), 'data');
  const store = Store.open(dir, { env: {} });
  await assert.rejects(startService({ store, port: 0, quiet: true, trustProxy: true }), { code: 'usage' });
  const svc = await startService({ store, port: 0, quiet: true, trustProxy: true, publicUrl: 'https://sync.example.se' });
  try {
    const { addAdmin } = await import('../../pkg/lib/service/bootstrap.js');
    await addAdmin(store, 'anna', PASSWORD);
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'sync.example.se', 'content-type': 'application/json' };
    const r = await fetch(`${svc.url}/api/signin`, { method: 'POST', headers: { ...forwarded, origin: 'https://sync.example.se' }, body: JSON.stringify({ name: 'anna', password: PASSWORD }) });
    assert.equal(r.status, 200);
    assert.match(/** @type {string} */ (r.headers.get('set-cookie')), /; Secure$/);
    const plain = await fetch(`${svc.url}/api/signin`, { method: 'POST', headers: { ...forwarded, origin: svc.url }, body: JSON.stringify({ name: 'anna', password: PASSWORD }) });
    assert.equal(plain.status, 403);
  } finally {
    await svc.close();
  }
});

test('a request that changes something from another site, or from nowhere said, is refused', async () => {
  const cookie = await s.signIn();
  for (const headers of /** @type {Record<string, string>[]} */ ([{ origin: 'http://evil.example' }, { origin: 'null' }, {}])) {
    const r = await fetch(`${s.svc.url}/api/connections/${s.id}/runs`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{"kind":"sync"}' });
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.equal((await r.json()).error.code, 'cross_origin_refused');
  }
  const sameSite = await fetch(`${s.svc.url}/api/signout`, { method: 'POST', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
  assert.equal(sameSite.status, 204);
  assert.equal(s.store.lease(s.id), null, 'no run was started');
});

test('a sign-in link works once', async () => {
  const { signinLink } = await import('../../pkg/lib/service/bootstrap.js');
  const token = signinLink(s.store, 'anna');
  const first = await s.call('POST', '/api/signin-link', { token });
  assert.equal(first.status, 200);
  const second = await s.call('POST', '/api/signin-link', { token });
  assert.equal(second.status, 403);
  assert.equal(second.json.error.code, 'signin_link_invalid');
  const forged = await s.call('POST', '/api/signin-link', { token: 'x'.repeat(43) });
  assert.equal(forged.status, 403);
});

test('after 5 failed sign-ins for a name, even the right password waits (429 with Retry-After)', async () => {
  const { addAdmin } = await import('../../pkg/lib/service/bootstrap.js');
  await addAdmin(s.store, 'bertil', PASSWORD);
  for (let i = 0; i < 5; i++) assert.equal((await s.call('POST', '/api/signin', { name: 'bertil', password: `guess number ${i}` })).status, 401);
  const blocked = await s.call('POST', '/api/signin', { name: 'bertil', password: PASSWORD });
  assert.equal(blocked.status, 429);
  assert.equal(blocked.json.error.code, 'too_many_attempts');
  assert.equal(blocked.headers.get('retry-after'), String(blocked.json.error.details.retryAfterSeconds));
  assert.ok(Number(blocked.headers.get('retry-after')) > 800 && Number(blocked.headers.get('retry-after')) <= 900);
});

test('crona-sync admin add, reset (ending sessions) and link work on the data directory', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'crona-sync-admin-'));
  const env = { PATH: process.env.PATH ?? '', CRONA_SYNC_PASSWORD: 'a long enough password' };
  const add = await runCli(['admin', 'add', 'cecilia', '--data', 'data'], { env, cwd });
  assert.deepEqual([add.code, add.stdout], [0, 'Added the administrator "cecilia"; they sign in on the integration page.\n']);
  const twice = await runCli(['admin', 'add', 'cecilia', '--data', 'data'], { env, cwd });
  assert.deepEqual([twice.code, twice.stderr], [2, 'crona-sync admin: There is already an administrator named "cecilia".\n']);
  const weak = await runCli(['admin', 'add', 'david', '--data', 'data'], { env: { ...env, CRONA_SYNC_PASSWORD: 'short' }, cwd });
  assert.deepEqual([weak.code, weak.stderr], [2, 'crona-sync admin: A password needs at least 12 characters.\n']);
  const link = await runCli(['admin', 'link', 'cecilia', '--data', 'data', '--url', 'https://sync.example.se/'], { env, cwd });
  assert.equal(link.code, 0);
  assert.match(link.stdout, /^https:\/\/sync\.example\.se\/#signin=[A-Za-z0-9_-]{43}\n\(signs "cecilia" in once, within 15 minutes\)\n$/);
  const store = Store.open(join(cwd, 'data'));
  const id = /** @type {{ id: number }} */ (store.admin('cecilia')).id;
  const session = store.createSession(id, 60_000);
  store.close();
  const reset = await runCli(['admin', 'reset', 'cecilia', '--data', 'data'], { env: { ...env, CRONA_SYNC_PASSWORD: 'another long password' }, cwd });
  assert.deepEqual([reset.code, reset.stdout], [0, 'New password set for "cecilia"; their sessions have ended.\n']);
  const after = Store.open(join(cwd, 'data'));
  assert.equal(after.sessionAdmin(session), null);
  after.close();
});

test('sign-in attempts sent all at once are counted at once: 5 are checked, the rest refused', async () => {
  const { addAdmin } = await import('../../pkg/lib/service/bootstrap.js');
  await addAdmin(s.store, 'david', PASSWORD);
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => s.call('POST', '/api/signin', { name: 'david', password: `parallel guess ${i}` })));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
});

test('wrong setup and sign-in links count against the address, and are refused before any password is hashed', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'crona-sync-links-')), 'data');
  const fresh = await startService({ data: dir, port: 0, env: {}, quiet: true });
  try {
    const post = (/** @type {string} */ path, /** @type {object} */ body) =>
      fetch(`${fresh.url}${path}`, { method: 'POST', headers: { origin: fresh.url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const codes = [];
    for (let i = 0; i < 21; i++) {
      const r = await post(i % 2 ? '/api/setup' : '/api/signin-link', { token: `forged-${i}`, name: 'mallory', password: PASSWORD });
      codes.push((await r.json()).error.code);
    }
    assert.deepEqual(codes.slice(0, 4), ['signin_link_invalid', 'setup_link_invalid', 'signin_link_invalid', 'setup_link_invalid']);
    assert.equal(codes.filter((c) => c === 'too_many_attempts').length, 1, codes.join(' '));
    assert.equal(codes[20], 'too_many_attempts');
    assert.equal(fresh.store.adminCount(), 0);
  } finally {
    await fresh.close();
  }
});

test('crona-sync admin remove ends an administrator\'s access', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'crona-sync-admin-rm-'));
  const env = { PATH: process.env.PATH ?? '', CRONA_SYNC_PASSWORD: 'a long enough password' };
  assert.equal((await runCli(['admin', 'add', 'erik', '--data', 'data'], { env, cwd })).code, 0);
  const store = Store.open(join(cwd, 'data'));
  const session = store.createSession(/** @type {{ id: number }} */ (store.admin('erik')).id, 60_000);
  store.close();
  const rm = await runCli(['admin', 'remove', 'erik', '--data', 'data'], { env, cwd });
  assert.deepEqual([rm.code, rm.stdout], [0, 'Removed the administrator "erik"; their sessions and links have ended. Their runs keep their name.\n']);
  const after = Store.open(join(cwd, 'data'));
  assert.equal(after.sessionAdmin(session), null);
  assert.equal(after.admin('erik'), null);
  after.close();
  const again = await runCli(['admin', 'remove', 'erik', '--data', 'data'], { env, cwd });
  assert.deepEqual([again.code, again.stderr], [2, 'crona-sync admin: There is no administrator named "erik".\n']);
});
