// Medians of runs after a warm-up; ratios from runs alternated in one process, so both sides of a
// ratio see the same machine state.

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds one call takes. @param {() => unknown} f */
export function time(f) {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/**
 * Runs `a` and `b` alternately (after `warmup` rounds of each) and returns the median of each
 * and the median of the per-round ratios a/b.
 * @param {() => unknown} a @param {() => unknown} b @param {{ runs?: number, warmup?: number }} [o]
 */
export function alternate(a, b, o = {}) {
  const runs = o.runs ?? 9;
  for (let i = 0; i < (o.warmup ?? 2); i++) {
    a();
    b();
  }
  const ta = [];
  const tb = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const x = time(a);
    const y = time(b);
    ta.push(x);
    tb.push(y);
    ratios.push(x / y);
  }
  return { a: median(ta), b: median(tb), ratio: median(ratios) };
}
