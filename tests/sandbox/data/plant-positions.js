// Planted position histories: every shape DOMAIN.md §2's AnstDatum / AvgDatum / Slutat / Befattning rules
// must handle. Laid over matched people (their field cases are unaffected).

import { position } from './positions.js';
import { addDays, addMonths } from '../dates.js';
import { TEAMS } from './org.js';

/** @typedef {import('./plant.js').Draft} Draft */
/** @typedef {import('./plant.js').PlantCtx} PlantCtx */
/** @typedef {import('./person.js').Pair} Pair */
/** @typedef {import('../types.js').HumaPosition} HumaPosition */

/**
 * kind → the positions, given today (T), the user id and two of the person's team titles (older, newer).
 * @type {readonly (readonly [string, string, (ctx: PlantCtx, userId: string, older: string | null, newer: string | null) => HumaPosition[]])[]}
 */
export const POSITION_CASES = [
  ['positionsNone', 'no positions in Huma: nothing to derive; Crona keeps its own dates', () => []],
  ['positionsSeveral', 'three positions (two ended, one current): AnstDatum = the earliest start, Befattning = the current title',
    (ctx, id, older, newer) => {
      const T = ctx.today;
      return [
        position(ctx.rng, id, { contractStartDate: addMonths(T, -120), contractEndDate: addDays(addMonths(T, -96), -1), contractType: 'Temporary', titleId: older, percentage: 50, endReason: 'temporary_contract_or_position_ended' }),
        position(ctx.rng, id, { contractStartDate: addMonths(T, -96), contractEndDate: addDays(addMonths(T, -36), -1), titleId: older, endReason: 'change_in_organization_or_internal_job_transfer' }),
        position(ctx.rng, id, { contractStartDate: addMonths(T, -36), titleId: newer }),
      ];
    }],
  ['positionUpcoming', 'only an upcoming position (starts in 30 days): AnstDatum in the future, Slutat unchecked',
    (ctx, id, older, newer) => [position(ctx.rng, id, { contractStartDate: addDays(ctx.today, 30), titleId: newer, probationEndDate: addMonths(addDays(ctx.today, 30), 6) })]],
  ['positionEnded', 'the only position ended 60 days ago: AvgDatum set and Slutat checked',
    (ctx, id, older, newer) => [position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -60), contractEndDate: addDays(ctx.today, -60), titleId: newer, endReason: 'employee_resigned', terminationNoticeDate: addDays(ctx.today, -150), wantedEnd: true })]],
  ['positionEndsLater', 'a temporary contract ending in 90 days: AvgDatum set, Slutat unchecked',
    (ctx, id, older, newer) => [position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -6), contractEndDate: addDays(ctx.today, 90), contractType: 'Temporary', titleId: newer })]],
  ['positionEndsToday', 'the contract ends today: AvgDatum = today, Slutat unchecked (only strictly before today counts)',
    (ctx, id, older, newer) => [position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -12), contractEndDate: ctx.today, contractType: 'Temporary', titleId: newer })]],
  ['positionNoStartDate', 'an old ended position without a start date (ignored for AnstDatum) and a current one',
    (ctx, id, older, newer) => [
      position(ctx.rng, id, { contractEndDate: addDays(addMonths(ctx.today, -48), -1), titleId: older, endReason: 'other' }),
      position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -48), titleId: newer }),
    ]],
  ['positionRehired', 'left six years ago and re-hired two years ago: AvgDatum empty (a re-hire clears it)',
    (ctx, id, older, newer) => [
      position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -120), contractEndDate: addMonths(ctx.today, -72), titleId: older, endReason: 'employee_resigned' }),
      position(ctx.rng, id, { contractStartDate: addMonths(ctx.today, -24), titleId: newer }),
    ]],
];

/**
 * @param {PlantCtx} ctx
 * @param {Pair[]} people  matched, active people, one per case (fewer = fewer cases)
 * @param {(teamIndex: number) => string[]} teamTitleIds
 * @returns {Draft[]}
 */
export function plantPositionCases(ctx, people, teamTitleIds) {
  return POSITION_CASES.slice(0, people.length).map(([kind, note, make], i) => {
    const pair = /** @type {Pair} */ (people[i]);
    const titles = teamTitleIds(pair.person.teamIndex);
    const newer = pair.positions[pair.positions.length - 1]?.titleId ?? titles[0] ?? null;
    const older = titles.find((t) => t !== newer) ?? newer;
    pair.cronaOwnPositions = kind === 'positionsNone'; // payroll keeps the dates it had; else it holds the derived ones
    pair.positions = make(ctx, /** @type {import('../types.js').HumaUser} */ (pair.huma).id, older, newer);
    return { kind, main: pair, positions: true, note };
  });
}

/** @param {Map<string, string>} titleIds @returns {(teamIndex: number) => string[]} */
export function titlesOfTeam(titleIds) {
  return (teamIndex) => (TEAMS[teamIndex]?.titles ?? []).map((t) => titleIds.get(t) ?? '').filter(Boolean);
}
