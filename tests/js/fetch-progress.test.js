// A fetch's progress in words (pkg/lib/fetch-progress.js), for the page and the CLI: the share
// of the requests the stated totals call for, each system's count of its total, the time so far
// and about how long is left; and the CLI's bar drawn from the same numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elapsedText, fetchCounts, fetchLine, fetchShare, timeLeft } from '../../pkg/lib/fetch-progress.js';
import { progressBar } from '../../pkg/lib/cli/progress.js';

/** @typedef {import('crona-sync').FetchProgress} FetchProgress */

/** A quarter of 10,000 people per side: 200 Huma pages, 20,000 person requests, 50 Crona pages. */
const QUARTER = Object.freeze({
  humaListed: 2600,
  humaRead: 2520,
  cronaRead: 4000,
  pending: 6,
  humaTotal: 10_000,
  humaDone: 2512,
  cronaTotal: 10_000,
  requestsAnswered: 5_062,
  requestsTotal: 20_250,
});

/** Before any total is stated. */
const FIRST = Object.freeze({
  humaListed: 0, humaRead: 0, cronaRead: 0, pending: 2, humaTotal: null, humaDone: 0, cronaTotal: null, requestsAnswered: 0, requestsTotal: null,
});

test('the share is requests answered over the requests the stated totals call for, unknown until both are stated', () => {
  assert.equal(fetchShare(QUARTER), 5_062 / 20_250);
  assert.equal(fetchShare(FIRST), null);
  assert.equal(fetchShare({ ...FIRST, humaTotal: 10_000, requestsAnswered: 1 }), null, 'Huma stated, Crona not yet');
  assert.equal(fetchShare({ ...QUARTER, requestsAnswered: 20_250 }), 1);
});

test('each system counts against its stated total, or alone before it is stated', () => {
  assert.equal(fetchCounts(QUARTER), 'Huma: 2,512 of 10,000 people read · Crona Lön: 4,000 of 10,000 employees');
  assert.equal(fetchCounts(FIRST), 'Huma: 0 people read · Crona Lön: 0 employees read');
  assert.equal(fetchCounts({ ...FIRST, humaTotal: 1, humaDone: 1, cronaTotal: 1, cronaRead: 1 }), 'Huma: 1 of 1 person read · Crona Lön: 1 of 1 employee');
});

test('the time so far reads in seconds, minutes and hours', () => {
  assert.deepEqual([0, 4_900, 59_999, 131_000, 3_725_000].map(elapsedText), ['0 s', '4 s', '59 s', '2 min 11 s', '1 h 2 min']);
});

test('the time left is estimated from the pace so far, once 5 % is done and 3 s have passed', () => {
  assert.equal(timeLeft(null, 60_000), null, 'no share, no estimate');
  assert.equal(timeLeft(0.04, 60_000), null, 'under 5 %');
  assert.equal(timeLeft(0.5, 2_999), null, 'under 3 s');
  assert.equal(timeLeft(1, 60_000), null, 'nothing left');
  assert.equal(timeLeft(0.5, 4_000), 'a few seconds left');
  assert.equal(timeLeft(0.5, 31_000), 'about 30 seconds left');
  assert.equal(timeLeft(0.5, 70_000), 'about a minute left');
  // 4 s in, 25 % done: 12 s to go at this pace.
  assert.equal(timeLeft(0.25, 4_000), 'about 10 seconds left');
  // A 10,000-person fetch a quarter through after 41 s: about 2 minutes left.
  assert.equal(timeLeft(0.25, 41_000), 'about 2 minutes left');
  assert.equal(timeLeft(0.1, 10 * 60_000), 'about 1.5 hours left');
  assert.equal(timeLeft(0.2, 15 * 60_000), 'about an hour left');
});

test("the page's line: counts, time so far, and the estimate once there is one", () => {
  assert.equal(fetchLine(QUARTER, 41_000), 'Huma: 2,512 of 10,000 people read · Crona Lön: 4,000 of 10,000 employees · 41 s so far, about 2 minutes left');
  assert.equal(fetchLine(FIRST, 200), 'Huma: 0 people read · Crona Lön: 0 employees read · 0 s so far');
});

test("the CLI's fetch bar fills by the same share and names both systems' totals, within the terminal's width", () => {
  const stderr = process.stderr;
  const was = { isTTY: stderr.isTTY, write: stderr.write, columns: stderr.columns };
  /** @type {string[]} */
  const written = [];
  Object.assign(stderr, { isTTY: true, columns: 100, write: (/** @type {string} */ s) => written.push(s) });
  try {
    const bar = progressBar('Fetching');
    bar.fetch(QUARTER);
    bar.done();
    Object.assign(stderr, { columns: 40 });
    const narrow = progressBar('Fetching');
    narrow.fetch(FIRST);
  } finally {
    Object.assign(stderr, was);
  }
  assert.deepEqual(written, [
    '\rFetching [######                  ] Huma 2,512/10,000 · Crona 4,000/10,000  ',
    '\r\x1b[2K',
    '\rFetching [                        ] Hum',
  ]);
});
