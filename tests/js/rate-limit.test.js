// A steady rate limit: the system waits as asked, slows to one request at a time while the burst
// lasts, and no request gives up on a wait the run can live with. The gate's logic with a fake
// fetch (no timers: states are waited for, never times), then a throttle over real HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronaTransport, drive } from 'crona-sync';
import { createSender } from '../../pkg/lib/http.js';
import { sandbox } from './support/sandbox.js';

/** @typedef {import('crona-sync').HttpRequest} HttpRequest */
/** @typedef {import('crona-sync').HttpResponse} HttpResponse */

/**
 * A fetch whose calls wait until the test answers them.
 * @typedef {{ path: string, answer: (status: number, headers?: Record<string, string>) => void, fail: (error: Error) => void }} Call
 */
function fakeFetch() {
  /** @type {Call[]} */
  const pending = [];
  let calls = 0;
  /** @type {typeof globalThis.fetch} */
  const fetch = (input, init) =>
    new Promise((resolve, reject) => {
      calls++;
      /** @type {Call} */
      const call = {
        path: new URL(String(input)).pathname,
        answer: (status, headers = {}) => {
          if (pending.includes(call)) pending.splice(pending.indexOf(call), 1);
          resolve(new Response('{}', { status, headers }));
        },
        fail: (error) => {
          if (pending.includes(call)) pending.splice(pending.indexOf(call), 1);
          reject(error);
        },
      };
      init?.signal?.addEventListener('abort', () => call.fail(init.signal?.reason));
      pending.push(call);
    });
  return { fetch, pending, calls: () => calls };
}

/** One turn of the event loop (no timer involved). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Waits (a bounded number of event-loop turns, not a time) until `condition` holds. @param {() => boolean} condition @param {string} what */
async function until(condition, what) {
  for (let i = 0; i < 10_000; i++) {
    if (condition()) return;
    await turn();
  }
  assert.fail(`never happened: ${what}`);
}

/** Lets everything that is ready run, so a check that nothing more happens means something. */
async function settle() {
  for (let i = 0; i < 50; i++) await turn();
}

/** @param {number} i @returns {HttpRequest} */
const get = (i) => ({ id: `r${i}`, system: 'crona', method: 'GET', path: `/x/${i}` });

/** @param {Partial<Parameters<typeof createSender>[0]>} [overrides] */
function sender(overrides = {}) {
  const fake = fakeFetch();
  const send = createSender({
    system: 'crona',
    baseUrl: 'https://crona.example',
    fetch: fake.fetch,
    random: () => 0,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...overrides,
  });
  return { send, ...fake };
}

test('after a 429 the system sends one request at a time, and doubles after each round without one', async () => {
  const { send, pending } = sender();
  const all = Promise.all(Array.from({ length: 8 }, (_, i) => send(get(i))));
  await until(() => pending.length === 8, 'all 8 sent: no limit before a 429');

  for (const call of [...pending]) call.answer(429, { 'retry-after': '0' });
  await until(() => pending.length === 1, 'one retry in flight');
  await settle();
  assert.equal(pending.length, 1, 'only one request goes out while the burst lasts');

  pending[0].answer(200);
  await until(() => pending.length === 2, 'two in flight after one clean answer');
  await settle();
  assert.equal(pending.length, 2);
  pending[0].answer(200); // one of the two: its slot is refilled, still two
  await settle();
  assert.equal(pending.length, 2);
  pending[0].answer(200); // the round of two is complete: four
  await until(() => pending.length === 4, 'four in flight after two clean answers');

  // Another 429: back to one. The three sent before it don't count as clean answers.
  pending[0].answer(429, { 'retry-after': '0' });
  await settle();
  assert.equal(pending.length, 3, 'nothing new goes out while three are still in flight');
  for (const call of [...pending]) call.answer(200);
  await until(() => pending.length === 1, 'then one at a time again');
  await settle();
  assert.equal(pending.length, 1);
  pending[0].answer(200);
  await until(() => pending.length === 1, 'the last one');
  pending[0].answer(200);

  const responses = await all;
  assert.deepEqual(responses.map((r) => r.status), Array(8).fill(200));
  assert.equal(responses.reduce((n, r) => n + (r.rateLimited ?? 0), 0), 9, 'eight 429s, then one more');
  assert.ok(responses.every((r) => r.error === undefined));
});

test('while the server asks the system to wait, no request of that system goes out (and an abort still ends the wait)', async () => {
  const { send, pending, calls } = sender();
  const controller = new AbortController();
  const signal = controller.signal;
  const first = send(get(1), { signal });
  await until(() => pending.length === 1, 'the first request');
  pending[0].answer(429, { 'retry-after': '100' });
  await settle(); // the first is now waiting out the pause
  const second = send(get(2), { signal }); // a fresh request, not the one that was told to wait
  await settle();
  assert.equal(calls(), 1, 'nothing was sent during the pause');
  controller.abort();
  await assert.rejects(first, { code: 'aborted' });
  await assert.rejects(second, { code: 'aborted' });
  assert.equal(calls(), 1);
});

test('a rate-limited request keeps trying past the retry count, until the time budget is spent', async () => {
  let clock = 0;
  /** @type {typeof globalThis.fetch} */
  const fetch = async () => {
    clock += 60_000; // each attempt "takes" a minute of the fake clock
    return new Response('{}', { status: 429, headers: { 'retry-after': '0' } });
  };
  const send = createSender({ system: 'huma', baseUrl: 'https://huma.example', fetch, random: () => 0, clock: () => clock, retry: { retries: 5 } });
  const r = await send({ id: 'p', system: 'huma', method: 'PATCH', path: '/users/u1', body: {} });
  // The first 429 starts the budget; 11 minutes after it, the 10 minutes are spent.
  assert.deepEqual([r.status, r.attempts, r.rateLimited, r.error?.code], [429, 12, 12, 'retries_exhausted']);
  assert.equal(r.error?.message, 'Huma PATCH /users/u1: rate limited for 660 s, past the 600 s budget; gave up after 12 attempts (last status 429)');

  clock = 0;
  const short = createSender({ system: 'huma', baseUrl: 'https://huma.example', fetch, random: () => 0, clock: () => clock, retry: { rateLimitBudgetMs: 120_000 } });
  const s = await short({ id: 'q', system: 'huma', method: 'GET', path: '/users' });
  assert.equal(s.attempts, 4, 'a smaller budget gives up sooner');
});

test('a 429 without Retry-After backs off on its own and spends the time budget, not the retry count', async () => {
  let clock = 0;
  /** @type {number[]} */
  const sent = [];
  /** @type {typeof globalThis.fetch} */
  const fetch = async () => {
    sent.push(clock);
    clock += 60_000;
    return new Response('{}', { status: 429 });
  };
  const send = createSender({ system: 'huma', baseUrl: 'https://huma.example', fetch, random: () => 0.5, clock: () => clock, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  const r = await send({ id: 'p', system: 'huma', method: 'PATCH', path: '/users/u1', body: {} });
  // Far past the 2 retries: the 11th 429 comes 600 s after the first, and its wait would pass the budget.
  assert.deepEqual([r.status, r.attempts, r.rateLimited, r.error?.code], [429, 11, 11, 'retries_exhausted']);
  assert.match(r.error?.message ?? '', /^Huma PATCH \/users\/u1: rate limited for 600 s .*past the 600 s budget; gave up after 11 attempts/);
});

test('other retryable answers keep the retry count: a 503, a network failure', async () => {
  for (const [status, headers] of /** @type {[number, Record<string, string>][]} */ ([[503, {}], [503, { 'retry-after': '0' }], [0, {}]])) {
    let calls = 0;
    /** @type {typeof globalThis.fetch} */
    const fetch = async () => {
      calls++;
      if (status === 0) throw new TypeError('fetch failed');
      return new Response('{}', { status, headers });
    };
    const send = createSender({ system: 'crona', baseUrl: 'https://crona.example', fetch, random: () => 0, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const r = await send(get(0));
    assert.deepEqual([r.status, r.attempts, calls], [status, 4, 4], `${status} ${JSON.stringify(headers)}`);
    assert.match(r.error?.message ?? '', /gave up after 4 attempts/);
  }
});

test('over HTTP: 20 PATCHes at concurrency 6 through a 4-per-second throttle all succeed, even with one retry allowed', async () => {
  const box = await sandbox({ people: 40 });
  const { crona: { employees } } = await box.inspect();
  /** @type {string[]} */
  const anstNr = employees.slice(0, 20).map((/** @type {any} */ e) => e.AnstNr);
  assert.equal(anstNr.length, 20);
  // One retry: the 429s (Retry-After 1 s) are waited for within the time budget, not counted.
  const crona = cronaTransport({ baseUrl: box.cronaUrl, ...box.credentials.crona, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 } });
  await crona.verify(); // the activation first: the log below is the PATCHes only
  const { requests: before } = await box.inspect();
  const since = before.length ? before[before.length - 1].seq : 0;
  await box.faults([{ system: 'crona', method: 'PATCH', path: '^/api/v1/employees/', kind: 'throttle', perSecond: 4 }]);

  /** @type {HttpResponse[]} */
  const answers = [];
  const session = {
    /** @type {HttpRequest[]} */
    todo: anstNr.map((nr, i) => ({ id: `w${i}`, system: /** @type {const} */ ('crona'), method: /** @type {const} */ ('PATCH'), path: `/api/v1/employees/${nr}`, body: { EpostPriv: `throttled.${i}@example.se` } })),
    poll() {
      return this.todo.splice(0);
    },
    /** @param {HttpResponse[]} batch */
    handle(batch) {
      answers.push(...batch);
    },
  };
  /** @type {import('crona-sync').DriveProgress | null} */
  let last = null;
  await drive(session, { crona }, { concurrency: 6, onProgress: (p) => (last = p) });
  await box.clearFaults();

  assert.equal(answers.length, 20);
  assert.deepEqual(answers.filter((r) => r.status !== 200).map((r) => `${r.id} ${r.status} ${r.error?.message}`), [], 'every write went through');
  const { requests } = await box.inspect(since);
  const patches = requests.filter((/** @type {any} */ r) => r.method === 'PATCH');
  const limited = patches.filter((/** @type {any} */ r) => r.status === 429);
  assert.equal(patches.filter((/** @type {any} */ r) => r.status === 200).length, 20, 'each PATCH arrived once with success');
  assert.ok(limited.length > 0, 'the throttle answered 429s');
  assert.ok(limited.every((/** @type {any} */ r) => r.fault === 'throttle'));
  assert.equal(patches.length, 20 + limited.length, 'nothing but the 20 and their rate-limited attempts');
  const progress = /** @type {import('crona-sync').DriveProgress} */ (/** @type {unknown} */ (last));
  assert.equal(progress.failed, 0);
  assert.equal(progress.rateLimited, limited.length, 'progress counts every 429');
  assert.equal(answers.reduce((n, r) => n + (r.rateLimited ?? 0), 0), limited.length);
  const { employees: after } = (await box.inspect()).crona;
  for (const [i, nr] of anstNr.entries()) {
    assert.equal(after.find((/** @type {any} */ e) => e.AnstNr === nr)?.EpostPriv, `throttled.${i}@example.se`);
  }
});
