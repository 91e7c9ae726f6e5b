// Planting: deterministic special cases laid over the generated people, each recorded in `planted` so tests and
// humans know what the sync must find.
//
// The `kind` vocabulary (stable; others code against it):
//   conflict, missingInHuma, missingInCrona   a matched person's `field` differs / is empty on one side. Every
//                                             mapped field has each (employmentId has no missingInCrona: AnstNr
//                                             is Crona's key); address also per `part` (line1, postalCode, line2).
//   equivalentFormat          equal after normalisation, written differently (`field`/`part`: phone, postcode,
//                             country, Swedbank 5- vs 4-digit clearing, NFD vs NFC given name)
//   emailCaseOnly             work e-mails differ only in letter case (still a match)
//   onlyInHuma                a Huma user with an employment id and no Crona employee (creatable in Crona)
//   onlyInHumaNoEmploymentId  only in Huma, no employment id (not creatable in Crona)
//   onlyInCrona               a Crona employee with no Huma user (creatable in Huma)
//   onlyInCronaNoEmail        only in Crona, no EpostArb (unmatchable, not creatable)
//   outOfScope                a Huma user of the sister company (not in Crona; outside a company-scoped sync)
//   duplicateEmailCrona       two Crona employees with the same EpostArb (`anstNrs`)
//   duplicatePhoneHuma        two Huma users with the same phone in different shapes (`humaIds`, `huma` = both)
//   duplicateEmploymentIdHuma two Huma users with the same employment id (`humaIds`)
//   invalidBankAccountHuma    Huma's national account fails its check digit; Crona has the valid one
//   invalidBankAccountCrona   Crona's account fails its check digit; Huma has the valid one
//   internationalBankAccount  Huma has an IBAN/BIC; Crona has no account
//   invalidPhoneHuma          Huma's phone is not a number; Crona has none
//   invalidPrivateEmailCrona  Crona's EpostPriv is not an e-mail address; Huma has none
//   deactivated               a matched Huma user with status.active false, and a phone conflict
//   deactivatedOnlyInHuma     a deactivated Huma user with no Crona employee
//   pendingEmailChange        Huma's email has a requestedValue (`huma` = {value, requestedValue})
//   notEditable               Huma's employmentId differs from AnstNr and is editable: false (integrations warning)
//   addressLine3              Huma's address has a line3 (c/o), which Crona can't hold
//   positionsNone, positionsSeveral, positionUpcoming, positionEnded, positionEndsLater, positionEndsToday,
//   positionNoStartDate, positionRehired
//                             position histories; `huma` = the positions (id, contractStartDate, contractEndDate,
//                             titleId, status), `crona` = the stored AnstDatum/AvgDatum/Slutat/Befattning,
//                             `expected` = the values DOMAIN.md §2 derives from the positions
//
// `huma` / `crona` hold the values as the APIs serve them (data/fields.js): a string or null; for address and
// bankAccount the served object (Huma) or the object of Crona columns. Every kind is present from 36 people on;
// smaller worlds get the kinds in priority order while people last (person 0, the managing director, stays plain).

import { Rng } from '../random.js';
import { plantFieldCases, FIELD_PEOPLE } from './plant-fields.js';
import { PEOPLE_RECIPES } from './plant-people.js';
import { plantPositionCases, titlesOfTeam, POSITION_CASES } from './plant-positions.js';
import { humaValue, cronaValue } from './fields.js';
import { positionStatus, deriveCronaValues } from './employment.js';

/** @typedef {import('./person.js').Pair} Pair */
/** @typedef {import('../types.js').PlantedCase} PlantedCase */

/**
 * A planted case before its values are read off the final data.
 * @typedef {Object} Draft
 * @property {string} kind
 * @property {import('./fields.js').Field} [field]
 * @property {string} [part]
 * @property {Pair} main
 * @property {Pair[]} [others]
 * @property {import('../types.js').Employee[]} [extraCrona]
 * @property {boolean} [positions]
 * @property {string} note
 */

/**
 * @typedef {Object} PlantCtx
 * @property {Rng} rng
 * @property {import('./person.js').Registry} reg
 * @property {string} today
 * @property {string} otherCompanyId
 * @property {import('../types.js').Employee[]} extraEmployees  Crona records that belong to no pair
 */

/**
 * Plants every case that fits in `pairs` (mutating them) and returns the drafts.
 * @param {PlantCtx} ctx
 * @param {Pair[]} pairs
 * @returns {Draft[]}
 */
export function plant(ctx, pairs) {
  // planted people are scattered over the whole list, so paging meets them everywhere
  const free = ctx.rng.shuffle(pairs.slice(1).map((_, i) => i + 1));
  /** @param {number} n */
  const take = (n) => (free.length >= n ? free.splice(0, n).map((i) => /** @type {Pair} */ (pairs[i])) : null);
  /** @type {Draft[]} */
  const drafts = [];
  /** @type {Pair[]} */
  const positionHosts = [];

  const fieldPeople = take(FIELD_PEOPLE);
  if (fieldPeople) {
    drafts.push(...plantFieldCases(ctx, fieldPeople));
    positionHosts.push(...fieldPeople);
  }
  for (const [kind, n, apply] of PEOPLE_RECIPES) {
    const people = take(n);
    if (!people) continue;
    drafts.push(...apply(ctx, people));
    if (kind === 'equivalentFormat' || kind === 'emailCaseOnly' || kind === 'addressLine3') positionHosts.push(...people);
  }
  while (positionHosts.length < POSITION_CASES.length) {
    const more = take(1);
    if (!more) break;
    positionHosts.push(...more);
  }
  // position cases go to distinct matched, active people, preferring those already planted
  const hosts = [...new Set(positionHosts)].filter((p) => p.huma && p.crona && p.huma.active);
  drafts.push(...plantPositionCases(ctx, hosts.slice(0, POSITION_CASES.length), titlesOfTeam(ctx.reg.titleIds)));
  return drafts;
}

/**
 * Reads each draft's values off the final data.
 * @param {Draft[]} drafts
 * @param {string} today
 * @param {(titleId: string | null) => string | null} titleName
 * @returns {PlantedCase[]}
 */
export function recordPlanted(drafts, today, titleName) {
  return drafts.map((d) => {
    const { main } = d;
    /** @type {PlantedCase} */
    const rec = { kind: d.kind, note: d.note };
    if (d.field) rec.field = d.field;
    if (d.part) rec.part = d.part;
    if (main.huma) rec.humaId = main.huma.id;
    if (main.crona) rec.anstNr = main.crona.AnstNr;
    rec.email = main.huma?.email ?? main.crona?.EpostArb ?? null;
    if (d.others) {
      const all = [main, ...d.others];
      rec.humaIds = all.map((p) => p.huma?.id ?? '');
      rec.anstNrs = all.map((p) => p.crona?.AnstNr ?? '');
      if (d.field) rec.huma = all.map((p) => (p.huma && d.field ? humaValue(p.huma, d.field) : null));
    } else if (d.extraCrona) {
      rec.anstNrs = [main.crona?.AnstNr ?? '', ...d.extraCrona.map((e) => e.AnstNr)];
    } else if (d.kind === 'pendingEmailChange' && main.huma) {
      rec.huma = { value: main.huma.email, requestedValue: main.huma.requestedEmail };
      if (main.crona) rec.crona = cronaValue(main.crona, 'email');
    } else if (d.field) {
      if (main.huma) rec.huma = humaValue(main.huma, d.field);
      if (main.crona) rec.crona = cronaValue(main.crona, d.field);
    }
    if (d.positions) {
      rec.huma = main.positions.map((p) => ({
        id: p.id, contractStartDate: p.contractStartDate, contractEndDate: p.contractEndDate, titleId: p.titleId, status: positionStatus(p, today),
      }));
      if (main.crona) {
        const c = /** @type {Record<string, unknown>} */ (main.crona);
        rec.crona = { AnstDatum: c.AnstDatum ?? null, AvgDatum: c.AvgDatum ?? null, Slutat: c.Slutat ?? null, Befattning: c.Befattning ?? null };
      }
      rec.expected = deriveCronaValues(main.positions, today, titleName);
    }
    return rec;
  });
}
