// drive() end to end: the double session, the real transports, real HTTP to the sandbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronaSyncError, cronaTransport, drive, humaTransport } from 'crona-sync';
import { PagerSession } from './support/pager-session.js';
import { sandbox } from './support/sandbox.js';

const box = await sandbox({ people: 60 });
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

function transports(overrides = {}) {
  return {
    huma: humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma, retry: FAST, ...overrides }),
    crona: cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST, ...overrides }),
  };
}

/** @typedef {{ seq: number, system: string, method: string, path: string, status: number | null }} Logged */

/**
 * Requests the sandbox received since `since`, as "METHOD path" strings of one system.
 * @param {number} since
 * @param {'huma' | 'crona'} system
 * @returns {Promise<string[]>}
 */
async function received(since, system) {
  /** @type {{ requests: Logged[] }} */
  const { requests } = await box.inspect(since);
  return requests.filter((r) => r.system === system).map((r) => `${r.method} ${r.path}`);
}

async function lastSeq() {
  const { requests } = await box.inspect();
  return requests.length ? requests[requests.length - 1].seq : 0;
}

test('drive fetches every Huma user and Crona employee exactly once', async () => {
  const state = await box.inspect();
  const session = new PagerSession({ humaPageSize: 7, cronaPageSize: 9 });
  await drive(session, transports(), { concurrency: 3 });
  assert.equal(session.phase, 'preview');
  assert.deepEqual([...session.humaIds].sort(), state.huma.users.map((/** @type {any} */ u) => u.id).sort());
  assert.deepEqual([...session.anstNr].sort(), state.crona.employees.map((/** @type {any} */ e) => e.AnstNr).sort());
  assert.equal(session.humaDetails.size, state.huma.users.length);
});

test('drive keeps at most `concurrency` requests in flight and reports progress', async () => {
  await box.faults([{ system: 'any', kind: 'latency', latencyMs: 15 }]);
  try {
    let inflight = 0;
    let peak = 0;
    const inner = transports();
    /** @param {import('crona-sync').SystemTransport} t */
    const counting = (t) => ({
      ...t,
      /** @type {import('crona-sync').SystemTransport['send']} */
      async send(request, options) {
        inflight++;
        peak = Math.max(peak, inflight);
        try {
          return await t.send(request, options);
        } finally {
          inflight--;
        }
      },
    });
    /** @type {import('crona-sync').DriveProgress[]} */
    const seen = [];
    const session = new PagerSession({ humaPageSize: 10 });
    await drive(session, { huma: counting(inner.huma), crona: counting(inner.crona) }, { concurrency: 2, onProgress: (p) => seen.push(p) });
    assert.equal(peak, 2, 'the bound is reached and never exceeded');
    assert.ok(seen.every((p) => p.inflight <= 2));
    const last = seen[seen.length - 1];
    // details + list pages (the last one short or empty) + Crona pages
    const n = session.humaIds.length;
    const expected = n + (Math.floor(n / 10) + 1) + Math.max(1, Math.ceil(session.anstNr.length / 100));
    assert.equal(last.done, expected);
    assert.equal(last.failed, 0);
    assert.equal(last.huma.done + last.crona.done, last.done);
    assert.equal(last.inflight, 0);
  } finally {
    await box.clearFaults();
  }
});

test('drive retries a 503 and a 429 and then succeeds, counting the retries', async () => {
  await box.faults([
    { system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status: 503, count: 2 },
    { system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 429, retryAfter: '0', count: 1 },
  ]);
  const since = await lastSeq();
  /** @type {import('crona-sync').DriveProgress | null} */
  let last = null;
  const session = new PagerSession({ details: false });
  await drive(session, transports(), { onProgress: (p) => (last = p) });
  assert.equal(session.phase, 'preview');
  assert.equal(/** @type {any} */ (last).retries, 3);
  const huma = (await received(since, 'huma')).filter((r) => r === 'GET /users');
  const crona = (await received(since, 'crona')).filter((r) => r === 'GET /api/v1/employees');
  assert.equal(huma.length, 2 + Math.floor(session.humaIds.length / 50) + 1, 'two 503s, then the pages');
  assert.equal(crona.length, 1 + Math.max(1, Math.ceil(session.anstNr.length / 100)), 'one 429, then the pages');
});

test('drive honours Retry-After before retrying', async () => {
  await box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'status', status: 429, retryAfter: '1', count: 1 }]);
  /** @type {number[]} */
  const calls = [];
  /** @type {typeof fetch} */
  const timed = (input, init) => {
    calls.push(Date.now());
    return fetch(input, init);
  };
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: FAST, fetch: timed });
  const response = await crona.send({ id: 'e', system: 'crona', method: 'GET', path: '/api/v1/employees', query: { page: 1 } });
  assert.equal(response.status, 200);
  assert.equal(response.attempts, 2);
  // calls: activation, the 429, the retry. A lower bound only: never flaky on a slow machine.
  assert.ok(calls[2] - calls[1] >= 1000, `waited ${calls[2] - calls[1]} ms`);
});

test('after the retry cap the session gets the failure, and its error (naming system, request, status) ends drive', async () => {
  await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status: 503 }]);
  try {
    const since = await lastSeq();
    const session = new PagerSession();
    await assert.rejects(drive(session, transports({ retry: { ...FAST, retries: 3 } })), (error) => {
      assert.ok(error instanceof CronaSyncError);
      assert.equal(error.code, 'fetch_failed');
      assert.match(error.message, /Huma GET \/users: gave up after 4 attempts \(last status 503\)/);
      return true;
    });
    assert.equal((await received(since, 'huma')).filter((r) => r === 'GET /users').length, 4);
  } finally {
    await box.clearFaults();
  }
});

test('drive never retries other 4xx or a 500', async () => {
  const { huma } = transports();
  await huma.verify(); // the token first, so only the API calls are counted
  for (const status of [400, 404, 409, 422, 500]) {
    await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'status', status, count: 1 }]);
    const since = await lastSeq();
    const response = await huma.send({ id: 'u', system: 'huma', method: 'GET', path: '/users' });
    assert.equal(response.status, status);
    assert.equal(response.attempts, 1);
    assert.equal(response.error, undefined);
    assert.deepEqual(await received(since, 'huma'), ['GET /users'], `status ${status}`);
  }
  await box.clearFaults();
});

test('a dropped connection is retried for a GET but not for a POST', async () => {
  const { huma } = transports();
  await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'drop', count: 2 }]);
  const get = await huma.send({ id: 'g', system: 'huma', method: 'GET', path: '/users' });
  assert.equal(get.status, 200);
  assert.equal(get.attempts, 3);

  await box.faults([{ system: 'huma', method: 'POST', path: '^/users$', kind: 'drop', count: 1 }]);
  const since = await lastSeq();
  const body = { givenName: 'Åsa', familyName: 'Öberg', email: 'asa.oberg.drop@example.se', groups: [] };
  const post = await huma.send({ id: 'p', system: 'huma', method: 'POST', path: '/users', body });
  assert.equal(post.status, 0);
  assert.equal(post.attempts, 1);
  assert.equal(post.error?.code, 'network_error');
  assert.match(post.error?.message ?? '', /connection failed/);
  assert.equal((await received(since, 'huma')).filter((r) => r === 'POST /users').length, 1, 'sent once, never repeated');
  await box.clearFaults();
});

test('a request that gets no answer in time counts as a network failure and is retried', async () => {
  await box.faults([{ system: 'huma', method: 'GET', path: '^/users$', kind: 'latency', latencyMs: 400, count: 1 }]);
  const { huma } = transports({ timeoutMs: 100 });
  const response = await huma.send({ id: 't', system: 'huma', method: 'GET', path: '/users' });
  assert.equal(response.status, 200);
  assert.equal(response.attempts, 2);
  await box.clearFaults();
});

test('after the cap a network failure comes back as status 0 with a clear message', async () => {
  await box.faults([{ system: 'crona', method: 'GET', path: '^/api/v1/employees$', kind: 'drop' }]);
  const { crona } = transports({ retry: { ...FAST, retries: 2 } });
  const response = await crona.send({ id: 'c', system: 'crona', method: 'GET', path: '/api/v1/employees' });
  assert.equal(response.status, 0);
  assert.equal(response.attempts, 3);
  assert.equal(response.error?.code, 'network_error');
  assert.match(response.error?.message ?? '', /^Crona GET \/api\/v1\/employees: gave up after 3 attempts: connection failed/);
  await box.clearFaults();
});

test('cancelling through an AbortSignal stops drive promptly with code "aborted"', async () => {
  await box.faults([{ system: 'any', kind: 'latency', latencyMs: 200 }]);
  try {
    const controller = new AbortController();
    const session = new PagerSession({ humaPageSize: 5 });
    let sent = 0;
    /** @type {typeof fetch} */
    const counted = (input, init) => {
      sent++;
      return fetch(input, init);
    };
    const run = drive(session, transports({ fetch: counted }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(run, (error) => error instanceof CronaSyncError && error.code === 'aborted');
    assert.notEqual(session.phase, 'preview');
    const atAbort = sent;
    assert.ok(atAbort > 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(sent, atAbort, 'no request is sent after the abort');
  } finally {
    await box.clearFaults();
  }
});

test('an already aborted signal sends nothing', async () => {
  const since = await lastSeq();
  await assert.rejects(drive(new PagerSession(), transports(), { signal: AbortSignal.abort() }), { code: 'aborted' });
  assert.equal(await lastSeq(), since);
});

test('drive refuses a silly concurrency and a request for a system it has no transport for', async () => {
  await assert.rejects(drive(new PagerSession(), transports(), { concurrency: 0 }), { code: 'invalid_argument' });
  const { huma } = transports();
  await assert.rejects(drive(new PagerSession(), { huma }), { code: 'invalid_argument', message: /"crona"/ });
});

test('an error thrown by the session ends drive with that error', async () => {
  const session = new PagerSession();
  session.handle = () => {
    throw new CronaSyncError('malformed_response', 'Huma GET /users: not JSON');
  };
  await assert.rejects(drive(session, transports()), { code: 'malformed_response' });
});
