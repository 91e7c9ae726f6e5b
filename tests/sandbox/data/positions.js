// Huma positions for a generated person: mostly one open-ended permanent position; some promotions (an ended
// position followed by a current one), temporary contracts with a future end date, a few people without any
// position and a few with an old position that has no start date.

import { addDays, addMonths } from '../dates.js';
import { TEAMS } from './org.js';

/** @typedef {import('../types.js').HumaPosition} HumaPosition */

/**
 * @param {import('../random.js').Rng} rng
 * @param {import('./person.js').Registry} reg
 * @param {string} userId
 * @param {number} teamIndex
 * @param {boolean} isCeo
 * @returns {HumaPosition[]}
 */
export function makePositions(rng, reg, userId, teamIndex, isCeo) {
  const team = /** @type {(typeof TEAMS)[number]} */ (TEAMS[teamIndex]);
  const lead = rng.chance(1 / 12);
  const title = isCeo || lead ? /** @type {string} */ (team.titles[0]) : rng.pick(team.titles.length > 1 ? team.titles.slice(1) : team.titles);
  const titleId = reg.titleIds.get(title) ?? null;
  const start = addDays(reg.today, -rng.int(30, 365 * 18));
  // 'none': never registered in Huma (payroll has the dates); 'legacy': an old position imported without a start
  const shape = isCeo ? 'single' : rng.weighted([[76, 'single'], [10, 'promoted'], [6, 'temporary'], [4, 'probation'], [2, 'none'], [2, 'legacy']]);
  const percentage = rng.weighted([[85, 100], [7, 80], [5, 75], [3, 50]]);
  if (shape === 'none') return [];
  if (shape === 'legacy') {
    return [
      position(rng, userId, { contractEndDate: addDays(start, -1), contractType: 'Permanent', titleId, endReason: 'other' }),
      position(rng, userId, { contractStartDate: start, contractType: 'Permanent', titleId, percentage }),
    ];
  }
  if (shape === 'temporary') {
    return [position(rng, userId, { contractStartDate: start, contractEndDate: addDays(reg.today, rng.int(30, 400)), contractType: 'Temporary', titleId, percentage })];
  }
  if (shape === 'promoted') {
    const earlier = addMonths(start, -rng.int(12, 96));
    const earlierTitle = reg.titleIds.get(rng.pick(team.titles)) ?? titleId;
    return [
      position(rng, userId, {
        contractStartDate: earlier, contractEndDate: addDays(start, -1), contractType: 'Permanent', titleId: earlierTitle,
        percentage: 100, endReason: 'change_in_organization_or_internal_job_transfer',
      }),
      position(rng, userId, { contractStartDate: start, contractType: 'Permanent', titleId, percentage }),
    ];
  }
  const probationEndDate = shape === 'probation' ? addMonths(start, 6) : null;
  return [position(rng, userId, { contractStartDate: start, contractType: 'Permanent', titleId, percentage, probationEndDate })];
}

/**
 * A position with every unset field null; first/last day of work follow the contract dates.
 * @param {import('../random.js').Rng} rng
 * @param {string} userId
 * @param {Partial<HumaPosition>} fields
 * @returns {HumaPosition}
 */
export function position(rng, userId, fields) {
  return {
    id: rng.uuid(),
    userId,
    contractStartDate: null,
    contractEndDate: null,
    firstDayOfWork: fields.contractStartDate ?? null,
    lastDayOfWork: fields.contractEndDate ?? null,
    probationEndDate: null,
    terminationNoticeDate: null,
    contractType: 'Permanent',
    percentage: 100,
    titleId: null,
    contractCountry: 'SE',
    description: null,
    note: null,
    endNote: null,
    endReason: null,
    wantedEnd: null,
    ...fields,
  };
}
