// How far a fetch is, in words, for the page and the CLI alike. The core counts (its
// `progress()`: the totals the APIs stated, people read, requests answered and to come); this
// file only divides and words it. The runner's clock gives the elapsed time.

/** @typedef {import('../index.js').FetchProgress} FetchProgress */

/** An estimate needs this share done and this much time: earlier, it is mostly noise. */
const ESTIMATE_AFTER = Object.freeze({ share: 0.05, ms: 3000 });

/**
 * The share of the fetch done, 0..1: requests answered over the requests it takes in all. Null
 * while a system hasn't stated its total yet (the bar is indeterminate then).
 * @param {FetchProgress} p @returns {number | null}
 */
export function fetchShare(p) {
  if (p.requestsTotal === null || p.requestsTotal <= 0) return null;
  return Math.min(1, p.requestsAnswered / p.requestsTotal);
}

/** One formatter: toLocaleString would build one per call, many times a second. */
const FORMAT = new Intl.NumberFormat('en-GB');

/** @param {number} n */
const number = (n) => FORMAT.format(n);

/** @param {number} n @param {string} one @param {string} many */
const counted = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;

/**
 * Each system's count, with its total once stated: "Huma: 2,512 of 10,000 people read · Crona
 * Lön: 4,000 of 10,000 employees". Huma's people count once their details and positions are in.
 * @param {FetchProgress} p
 */
export function fetchCounts(p) {
  const huma = p.humaTotal === null
    ? `${counted(p.humaDone, 'person', 'people')} read`
    : `${number(p.humaDone)} of ${counted(p.humaTotal, 'person', 'people')} read`;
  const crona = p.cronaTotal === null
    ? `${counted(p.cronaRead, 'employee', 'employees')} read`
    : `${number(p.cronaRead)} of ${counted(p.cronaTotal, 'employee', 'employees')}`;
  return `Huma: ${huma} · Crona Lön: ${crona}`;
}

/**
 * A time span in minutes and seconds: "4 s", "2 min 11 s", "1 h 5 min".
 * @param {number} ms
 */
export function elapsedText(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * About how long is left, in words, from the pace so far ("about 2 minutes left"); null until
 * 5 % is done and 3 s have passed, and once everything is.
 * @param {number | null} share  fetchShare()
 * @param {number} elapsedMs
 * @returns {string | null}
 */
export function timeLeft(share, elapsedMs) {
  if (share === null || share >= 1 || share < ESTIMATE_AFTER.share || elapsedMs < ESTIMATE_AFTER.ms) return null;
  return `${roughly(elapsedMs * (1 - share) / share)} left`;
}

/** A duration as people say it, rounded to what an estimate can promise. @param {number} ms */
function roughly(ms) {
  const s = ms / 1000;
  if (s < 10) return 'a few seconds';
  if (s < 55) return `about ${Math.round(s / 10) * 10} seconds`;
  if (s < 90) return 'about a minute';
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} minutes`;
  const hours = Math.round(minutes / 30) / 2;
  return hours === 1 ? 'about an hour' : `about ${hours} hours`;
}

/**
 * The line under a fetch's bar: the counts, the time so far and, once it can be told, the time
 * left. "Huma: 2,512 of 10,000 people read · Crona Lön: 4,000 of 10,000 employees · 41 s so far,
 * about 2 minutes left".
 * @param {FetchProgress} p @param {number} elapsedMs
 */
export function fetchLine(p, elapsedMs) {
  const left = timeLeft(fetchShare(p), elapsedMs);
  return `${fetchCounts(p)} · ${elapsedText(elapsedMs)} so far${left ? `, ${left}` : ''}`;
}
