// A steady rate limit: the system waits as asked, halves how many requests it has in flight on a
// 429 and grows back by one per clean round (AIMD), and no request gives up on a wait the run can
// live with. The gate's window on a clock the test moves and a fake fetch (no timers: states are
// waited for, never times), then a throttle over real HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronaTransport, drive, humaTransport } from 'crona-sync';
import { createSender } from '../../pkg/lib/http.js';
import { RateGate } from '../../pkg/lib/rate-gate.js';
import { fetchAll } from './support/fetch-all.js';
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

test('after a burst of 429s half as many go out at once, another 429 halves again, and clean rounds grow it by one', async () => {
  const { send, pending } = sender();
  const all = Promise.all(Array.from({ length: 8 }, (_, i) => send(get(i))));
  await until(() => pending.length === 8, 'all 8 sent: no limit before a 429');

  for (const call of [...pending]) call.answer(429, { 'retry-after': '0' });
  await until(() => pending.length === 4, 'the eight retried four at a time: 8 in flight halved');
  await settle();
  assert.equal(pending.length, 4, 'the other seven 429s were sent before the halving: no further halving');

  pending[0].answer(429, { 'retry-after': '0' }); // sent at the new pace: halves to 2
  await settle();
  assert.equal(pending.length, 3, 'nothing new goes out while three are in flight and two are allowed');
  for (const call of [...pending]) call.answer(200); // sent before that halving: no growth
  await until(() => pending.length === 2, 'then two at a time');
  await settle();
  assert.equal(pending.length, 2);
  pending[0].answer(200);
  await until(() => pending.length === 2, 'its slot refilled');
  pending[0].answer(200); // a round of two clean answers: three allowed
  await until(() => pending.length === 3, 'three in flight for the last three');
  for (const call of [...pending]) call.answer(200);

  const responses = await all;
  assert.deepEqual(responses.map((r) => r.status), Array(8).fill(200));
  assert.equal(responses.reduce((n, r) => n + (r.rateLimited ?? 0), 0), 9, 'eight 429s, then one more');
  assert.ok(responses.every((r) => r.error === undefined));
});

/**
 * A gate on a clock the test moves, whose pauses are waited out only when the test says so.
 * @returns {{ gate: RateGate, pauses: number[], at: (ms: number) => void }}
 */
function manualGate() {
  let now = 0;
  /** @type {{ until: number, wake: () => void }[]} */
  const sleepers = [];
  /** @type {number[]} */
  const pauses = [];
  const gate = new RateGate({
    clock: () => now,
    sleep: (ms) => new Promise((resolve) => {
      pauses.push(ms);
      sleepers.push({ until: now + ms, wake: () => resolve() });
    }),
  });
  /** @param {number} ms */
  const at = (ms) => {
    now = ms;
    for (const s of sleepers.filter((s) => s.until <= now)) {
      sleepers.splice(sleepers.indexOf(s), 1);
      s.wake();
    }
  };
  return { gate, pauses, at };
}

const LIMITED = { limited: true, pauseMs: null };
const CLEAN = { limited: false, pauseMs: null };

test('the window: a 429 halves what was in flight (never below 1), once per step; stale answers change nothing', async () => {
  const { gate } = manualGate();
  /** @type {(number)[]} */
  const limits = [gate.limit];
  const first = await Promise.all(Array.from({ length: 8 }, () => gate.enter()));
  for (const ticket of first) {
    gate.leave(ticket, LIMITED); // the first halves 8 → 4; the seven others were sent before it
    limits.push(gate.limit);
  }
  assert.deepEqual(limits, [Infinity, 4, 4, 4, 4, 4, 4, 4, 4]);

  const second = await Promise.all(Array.from({ length: 4 }, () => gate.enter()));
  assert.equal(gate.inflight, 4);
  gate.leave(second[0], LIMITED); // 4 → 2
  gate.leave(second[1], CLEAN); // sent before that halving: not a clean round at the new pace
  gate.leave(second[2], LIMITED); // likewise: no second halving
  gate.leave(second[3], CLEAN);
  assert.deepEqual([gate.limit, gate.successes], [2, 0]);

  // Fewer in flight than the window allows: half of what was really in flight.
  const one = await gate.enter();
  gate.leave(one, LIMITED);
  assert.equal(gate.limit, 1, 'one in flight halves to the floor of 1');
  const again = await gate.enter();
  gate.leave(again, LIMITED);
  assert.equal(gate.limit, 1, 'never below 1');
  assert.equal(gate.inflight, 0);
});

test('the window grows by one after each round of as many unthrottled answers, up to unlimited', async () => {
  const { gate } = manualGate();
  gate.leave(await gate.enter(), LIMITED); // 1 in flight: the window is 1
  /** @type {number[]} */
  const limits = [];
  for (let i = 0; i < 10; i++) {
    gate.leave(await gate.enter(), CLEAN);
    limits.push(gate.limit);
  }
  // one answer at 1, two at 2, three at 3, four at 4
  assert.deepEqual(limits, [2, 2, 3, 3, 3, 4, 4, 4, 4, 5]);
  // A 503 with Retry-After (here 0 s) is no clean answer: the window stays.
  gate.leave(await gate.enter(), { limited: false, pauseMs: 0 });
  assert.deepEqual([gate.limit, gate.successes], [5, 0]);
  // A request that got no answer at all counts neither way.
  gate.leave(await gate.enter(), CLEAN, false);
  assert.deepEqual([gate.limit, gate.successes], [5, 0]);
  let answers = 0;
  while (gate.limit !== Infinity) {
    gate.leave(await gate.enter(), CLEAN);
    answers++;
  }
  // a round of 5, of 6, … of 63 answers: additively from 5 to 64, where the gate no longer limits
  assert.equal(answers, ((5 + 63) * 59) / 2);
});

test('a Retry-After pauses every attempt of the system until the asked time, and a later one extends the pause', async () => {
  const { gate, pauses, at } = manualGate();
  const [t1, t2, t3, t4] = await Promise.all(Array.from({ length: 4 }, () => gate.enter()));
  gate.leave(t1, { limited: true, pauseMs: 1000 }); // at 0: nothing goes out before 1000; window 4 → 2
  /** @type {string[]} */
  const entered = [];
  const a = gate.enter().then((t) => (entered.push('a'), t));
  const b = gate.enter().then((t) => (entered.push('b'), t));
  gate.leave(t2, CLEAN);
  gate.leave(t3, CLEAN); // two in flight left: t4 and a, which sleeps out the pause; b waits for a slot
  await settle();
  assert.deepEqual([entered, pauses, gate.limit], [[], [1000], 2]);
  at(500);
  gate.leave(t4, { limited: true, pauseMs: 1000 }); // sent before the halving: no second halving, but it waits until 1500
  await settle();
  assert.deepEqual([entered, pauses, gate.limit], [[], [1000, 1000], 2], 'b has the slot and sleeps until 1500');
  at(1000);
  await settle();
  assert.deepEqual([entered, pauses], [[], [1000, 1000, 500]], 'a, woken at 1000, finds the pause extended: 500 more');
  at(1500);
  await settle();
  assert.deepEqual(entered, ['b', 'a'], 'both go out when the pause is over');
  gate.leave(await a, CLEAN);
  gate.leave(await b, CLEAN);
  assert.deepEqual([gate.limit, gate.inflight], [3, 0], 'a clean round of two at the new pace: one more');
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

test('over HTTP: a whole fetch of 250 people a side through a steady throttle gives up on nothing and previews as without it', async () => {
  const box = await sandbox({ people: 250 });
  /** A whole fetch with fresh transports (a new token, a new activation, fresh gates). */
  const fetchFresh = () => fetchAll({
    huma: humaTransport({ baseUrl: box.humaUrl, ...box.credentials.huma }),
    crona: cronaTransport({ baseUrl: box.cronaUrl, activationCode: box.credentials.crona.activationCode }),
  });
  const plain = await fetchFresh();
  const since = (await box.inspect()).seq;
  // One bucket for both systems, a quarter of what the fetch asks for in all: it can't go unthrottled.
  const perSecond = Math.ceil(plain.answers.length / 4);
  await box.faults([{ system: 'any', kind: 'throttle', perSecond }]);
  const throttled = await fetchFresh();
  await box.clearFaults();

  const { requests } = await box.inspect(since);
  const limited = requests.filter((/** @type {any} */ r) => r.status === 429);
  assert.ok(limited.length > 0, 'the throttle answered 429s');
  assert.ok(limited.every((/** @type {any} */ r) => r.fault === 'throttle'));
  assert.deepEqual(throttled.answers.filter((r) => r.error).map((r) => `${r.id} ${r.status} ${r.error?.code}: ${r.error?.message}`), [], 'no request gave up');
  assert.equal(throttled.answers.reduce((n, r) => n + (r.rateLimited ?? 0), 0), limited.length, 'every 429 was waited out and retried');
  assert.equal(throttled.answers.length, plain.answers.length);
  assert.deepEqual(throttled.preview.counts, plain.preview.counts);
  assert.ok(plain.preview.counts.matched > 200, 'a real register was read');
  assert.deepEqual(throttled.preview, plain.preview);
});
