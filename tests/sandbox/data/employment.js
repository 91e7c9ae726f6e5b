// Rules over Huma positions: a position's status, and the Crona values DOMAIN.md §2 derives from them.
// Shared by the generator (Crona's stored values, planted expectations) and the Huma shapes (deprecated fields).

/** @typedef {import('../types.js').HumaPosition} HumaPosition */

/**
 * CURRENT / UPCOMING / ENDED against `today`. A position without a start date counts as started.
 * @param {HumaPosition} p @param {string} today
 * @returns {'CURRENT' | 'UPCOMING' | 'ENDED'}
 */
export function positionStatus(p, today) {
  if (p.contractStartDate && p.contractStartDate > today) return 'UPCOMING';
  if (p.contractEndDate && p.contractEndDate < today) return 'ENDED';
  return 'CURRENT';
}

/**
 * The position that describes the person now: the current one with the latest start, else the earliest
 * upcoming, else the one that ended last (DOMAIN.md §2, Befattning).
 * @param {readonly HumaPosition[]} positions @param {string} today
 * @returns {HumaPosition | null}
 */
export function primaryPosition(positions, today) {
  /** @param {string | null} d */
  const key = (d) => d ?? '';
  const current = positions.filter((p) => positionStatus(p, today) === 'CURRENT');
  if (current.length) return current.reduce((a, b) => (key(b.contractStartDate) > key(a.contractStartDate) ? b : a));
  const upcoming = positions.filter((p) => positionStatus(p, today) === 'UPCOMING');
  if (upcoming.length) return upcoming.reduce((a, b) => (key(b.contractStartDate) < key(a.contractStartDate) ? b : a));
  if (!positions.length) return null;
  return positions.reduce((a, b) => (key(b.contractEndDate) > key(a.contractEndDate) ? b : a));
}

/** Earliest contract start; positions without one are ignored. @param {readonly HumaPosition[]} positions */
export function earliestStart(positions) {
  let best = null;
  for (const p of positions) if (p.contractStartDate && (best === null || p.contractStartDate < best)) best = p.contractStartDate;
  return best;
}

/** The latest end when every position has ended or will end; null when any is open-ended. @param {readonly HumaPosition[]} positions */
export function employmentEnd(positions) {
  if (!positions.length || positions.some((p) => !p.contractEndDate)) return null;
  let best = '';
  for (const p of positions) if (p.contractEndDate && p.contractEndDate > best) best = p.contractEndDate;
  return best || null;
}

/**
 * AnstDatum, AvgDatum, Slutat, Befattning as DOMAIN.md §2 derives them (Slutat: AvgDatum strictly before today).
 * @param {readonly HumaPosition[]} positions
 * @param {string} today
 * @param {(titleId: string | null) => string | null} titleName
 * @returns {import('../types.js').DerivedPositionValues}
 */
export function deriveCronaValues(positions, today, titleName) {
  const AvgDatum = employmentEnd(positions);
  const primary = primaryPosition(positions, today);
  return {
    AnstDatum: earliestStart(positions),
    AvgDatum,
    Slutat: AvgDatum !== null && AvgDatum < today,
    Befattning: primary ? titleName(primary.titleId) : null,
  };
}
