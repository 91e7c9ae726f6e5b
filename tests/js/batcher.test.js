// The webhook batcher on its own, with a push that the test controls: bursts coalesce, events
// that arrive during a push wait for the next one, a failing batch is never split.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher } from '../../pkg/lib/cli/batcher.js';

/** A push the test answers by hand. */
function controlledRun() {
  /** @type {{ ids: string[], events: Map<string, number[]>, answer: (r: import('../../pkg/lib/cli/batcher.js').BatchResult) => void }[]} */
  const calls = [];
  /** @type {(() => void)[]} */
  let waiters = [];
  return {
    calls,
    /** @param {string[]} ids @param {Map<string, number[]>} events */
    run: (ids, events) => new Promise((resolve) => {
      calls.push({ ids, events, answer: resolve });
      waiters.forEach((w) => w());
      waiters = [];
    }),
    /** Resolves when the n-th push (1-based) has started. @param {number} n */
    started: (n) => new Promise((resolve) => {
      const check = () => (calls.length >= n ? resolve(calls[n - 1]) : waiters.push(check));
      check();
    }),
  };
}

test('a burst for the same person becomes one push, and its events finish together', async () => {
  const c = controlledRun();
  /** @type {number[]} */
  const finished = [];
  const b = new Batcher({ run: c.run, finished: (s) => finished.push(...s), debounceMs: 20 });
  b.add(1, ['anna']);
  b.add(2, ['anna', 'bo']);
  b.add(3, ['anna']);
  const first = await c.started(1);
  assert.deepEqual(first.ids.sort(), ['anna', 'bo']);
  first.answer({ status: 'done' });
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(finished, [1, 2, 3]);
  assert.equal(c.calls.length, 1);
  await b.stop();
});

test('an event that arrives during a push is not finished by it, and goes in the next push', async () => {
  const c = controlledRun();
  /** @type {number[]} */
  const finished = [];
  const b = new Batcher({ run: c.run, finished: (s) => finished.push(...s), debounceMs: 10 });
  b.add(1, ['anna']);
  const first = await c.started(1);
  b.add(2, ['anna']); // HR edits Anna again while her first change is being pushed
  first.answer({ status: 'done' });
  const second = await c.started(2);
  assert.deepEqual(finished, [1], 'the second event waits for a push that read Huma after it');
  assert.deepEqual(second.ids, ['anna']);
  second.answer({ status: 'done' });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(finished, [1, 2]);
  await b.stop();
});

test('a failing batch is retried whole, never split (a burst stays one push for the mass-change guard)', async () => {
  const c = controlledRun();
  /** @type {number[]} */
  const finished = [];
  const b = new Batcher({ run: c.run, finished: (s) => finished.push(...s), debounceMs: 5, maxRetryMs: 20 });
  b.add(1, ['anna', 'bo', 'cai']);
  (await c.started(1)).answer({ status: 'retry' });
  const again = await c.started(2);
  assert.deepEqual(again.ids.sort(), ['anna', 'bo', 'cai']);
  again.answer({ status: 'done' });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(finished, [1]);
  await b.stop();
});

test('people the push settled (held) finish; the rest are tried again', async () => {
  const c = controlledRun();
  /** @type {number[]} */
  const finished = [];
  const b = new Batcher({ run: c.run, finished: (s) => finished.push(...s), debounceMs: 5, maxRetryMs: 20 });
  b.add(1, ['anna']);
  b.add(2, ['bo']);
  b.add(3, ['anna', 'bo']);
  const first = await c.started(1);
  assert.deepEqual([...first.events.get('anna') ?? []], [1, 3], "each person's deliveries");
  first.answer({ status: 'retry', settled: ['anna'] });
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(finished, [1], "Anna's own event is finished; the shared one waits for Bo");
  const second = await c.started(2);
  assert.deepEqual(second.ids, ['bo']);
  second.answer({ status: 'done' });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(finished, [1, 2, 3]);
  await b.stop();
});

test('a push that fails for everyone is retried with a pause, and stop() ends the waiting', async () => {
  const c = controlledRun();
  const b = new Batcher({ run: c.run, finished: () => {}, debounceMs: 5, maxRetryMs: 20 });
  b.add(1, ['anna']);
  (await c.started(1)).answer({ status: 'retry' });
  (await c.started(2)).answer({ status: 'retry' });
  assert.equal(b.size, 1, 'still waiting: nothing is given up');
  await b.stop();
});
