// Planted cases about whole people and single systems: one side only, duplicates, Huma's flags (deactivated,
// pending e-mail, locked field), invalid and foreign bank accounts, and values equal in different shapes.
// Each recipe takes the people it needs and returns its drafts.

import { FAMILY, DIACRITIC_GIVEN } from './names.js';
import { formatPhone, PHONE_STYLES } from './phone.js';
import { spacedPostcode } from './places.js';
import { makeAccount, typedAccount, cronaAccount, corruptAccount, makeIban } from './bank.js';
import { uniqueMobile, workEmail } from './person.js';
import { position } from './positions.js';
import { TEAMS } from './org.js';
import { addDays, addMonths } from '../dates.js';
import { setEmpty, pnr10, mixedCase } from './plant-util.js';

/** @typedef {import('./plant.js').Draft} Draft */
/** @typedef {import('./plant.js').PlantCtx} PlantCtx */
/** @typedef {import('./person.js').Pair} Pair */
/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Employee} Employee */

/** @param {Pair} p */
const huma = (p) => /** @type {HumaUser} */ (p.huma);
/** @param {Pair} p */
const crona = (p) => /** @type {Employee} */ (p.crona);

/**
 * Recipes: [kind, people needed, apply]. The order is the priority when `people` is too small for all.
 * @type {readonly (readonly [string, number, (ctx: PlantCtx, ps: Pair[]) => Draft[]])[]}
 */
export const PEOPLE_RECIPES = [
  ['onlyInHuma', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    a.crona = null;
    // a new hire: the position starts in two weeks
    const titleId = a.positions[a.positions.length - 1]?.titleId ?? null;
    a.positions = [position(ctx.rng, huma(a).id, { contractStartDate: addDays(ctx.today, 14), contractType: 'Permanent', titleId, probationEndDate: addMonths(addDays(ctx.today, 14), 6) })];
    return [{ kind: 'onlyInHuma', main: a, positions: true, note: 'a new hire in Huma, not yet in Crona; creatable in Crona' }];
  }],
  ['onlyInCrona', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    a.huma = null;
    return [{ kind: 'onlyInCrona', main: a, note: 'in payroll but not in Huma; creatable in Huma' }];
  }],
  ['emailCaseOnly', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    crona(a).EpostArb = mixedCase(huma(a).email);
    return [{ kind: 'emailCaseOnly', field: 'email', main: a, note: 'work e-mails differ only in letter case: still the same person' }];
  }],
  ['duplicateEmailCrona', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    const old = { ...crona(a), AnstNr: String((ctx.reg.nextEmploymentId += 1)) };
    old.AnstDatum = addMonths(ctx.today, -12 * 9);
    old.AvgDatum = addMonths(ctx.today, -12 * 6);
    old.Slutat = true;
    ctx.extraEmployees.push(old);
    return [{ kind: 'duplicateEmailCrona', field: 'email', main: a, extraCrona: [old], note: 'two Crona employees share this EpostArb (an old employment under an earlier AnstNr): a matching blocker' }];
  }],
  ['deactivated', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    deactivate(ctx, a);
    crona(a).Mobil = formatPhone(uniqueMobile(ctx.rng, ctx.reg), ctx.rng.pick(PHONE_STYLES));
    return [{ kind: 'deactivated', field: 'phone', main: a, note: 'deactivated in Huma (status.active false) with a phone conflict: Crona → Huma must be skipped' }];
  }],
  ['pendingEmailChange', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    const h = huma(a);
    h.requestedEmail = workEmail(ctx.reg, a.person.givenName, ctx.rng.pick(FAMILY.filter((f) => f !== a.person.familyName)));
    return [{ kind: 'pendingEmailChange', field: 'email', main: a, note: 'a new work e-mail waits for confirmation in Huma (email.requestedValue): not to be pushed' }];
  }],
  ['notEditable', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    const h = huma(a);
    h.locked = { ...h.locked, employmentId: 'locked_disconnect' };
    h.employmentId = String((ctx.reg.nextEmploymentId += 1));
    return [{ kind: 'notEditable', field: 'employmentId', main: a, note: 'employmentId differs and is editable: false in Huma (locked by another integration): a blocker' }];
  }],
  ['invalidBankAccountHuma', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    huma(a).bankAccount = { type: 'national', number: typedAccount(ctx.rng, corruptAccount(a.person.account)), country: 'SE' };
    return [{ kind: 'invalidBankAccountHuma', field: 'bankAccount', main: a, note: 'Huma\'s account fails its check digit (last digit mistyped); Crona has the valid one' }];
  }],
  ['invalidBankAccountCrona', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    crona(a).UtbetKontoNr = corruptAccount(a.person.account).account;
    return [{ kind: 'invalidBankAccountCrona', field: 'bankAccount', main: a, note: 'Crona\'s account fails its check digit; Huma has the valid one' }];
  }],
  ['internationalBankAccount', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    huma(a).bankAccount = { type: 'international', ...makeIban(ctx.rng) };
    setEmpty(a, 'UtbetClearNr');
    setEmpty(a, 'UtbetKontoNr');
    return [{ kind: 'internationalBankAccount', field: 'bankAccount', main: a, note: 'a foreign IBAN/BIC in Huma: no Crona target, report only' }];
  }],
  ['duplicatePhoneHuma', 2, (ctx, [p, q]) => {
    const a = /** @type {Pair} */ (p), b = /** @type {Pair} */ (q);
    huma(b).phone = formatPhone(a.person.mobile, 'intlSpaced');
    huma(a).phone = formatPhone(a.person.mobile, 'dashed');
    crona(a).Mobil = formatPhone(a.person.mobile, 'dashed');
    crona(b).Mobil = formatPhone(a.person.mobile, 'intlSpaced');
    return [{ kind: 'duplicatePhoneHuma', field: 'phone', main: a, others: [b], note: 'two Huma users have the same number (written differently): a blocker for phone' }];
  }],
  ['duplicateEmploymentIdHuma', 2, (ctx, [p, q]) => {
    const a = /** @type {Pair} */ (p), b = /** @type {Pair} */ (q);
    huma(b).employmentId = huma(a).employmentId;
    return [{ kind: 'duplicateEmploymentIdHuma', field: 'employmentId', main: a, others: [b], note: 'two Huma users have the same employment id: a blocker (the second also differs from its AnstNr)' }];
  }],
  ['onlyInHumaNoEmploymentId', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    a.crona = null;
    huma(a).employmentId = null;
    return [{ kind: 'onlyInHumaNoEmploymentId', main: a, note: 'only in Huma and without employment id: not creatable in Crona' }];
  }],
  ['onlyInCronaNoEmail', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    a.huma = null;
    setEmpty(a, 'EpostArb');
    return [{ kind: 'onlyInCronaNoEmail', main: a, note: 'only in Crona and without EpostArb: unmatched, not creatable in Huma' }];
  }],
  ['addressLine3', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    const addr = /** @type {import('../types.js').Address} */ (huma(a).homeAddress);
    addr.line3 = `c/o ${ctx.rng.pick(FAMILY)}`;
    return [{ kind: 'addressLine3', field: 'address', part: 'line3', main: a, note: 'Huma line3 (c/o) has no Crona target: warn' }];
  }],
  ['invalidPhoneHuma', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    huma(a).phone = 'ring växeln';
    setEmpty(a, 'Mobil');
    return [{ kind: 'invalidPhoneHuma', field: 'phone', main: a, note: 'Huma\'s phone is not a number; Crona has none: the value must not be written' }];
  }],
  ['invalidPrivateEmailCrona', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    const email = a.person.privateEmail ?? `${a.person.workEmail.split('@')[0]}@gmail.com`;
    crona(a).EpostPriv = email.replace('@', ' at ');
    huma(a).privateEmail = null;
    return [{ kind: 'invalidPrivateEmailCrona', field: 'privateEmail', main: a, note: 'Crona\'s EpostPriv is not an e-mail address; Huma has none: the value must not be written' }];
  }],
  ['deactivatedOnlyInHuma', 1, (ctx, [p]) => {
    const a = /** @type {Pair} */ (p);
    deactivate(ctx, a);
    a.crona = null;
    return [{ kind: 'deactivatedOnlyInHuma', main: a, note: 'a deactivated Huma user not in Crona: never offered for creation' }];
  }],
  ['outOfScope', 2, (ctx, ps) => ps.map((a) => {
    a.crona = null;
    huma(a).groupIds[0] = ctx.otherCompanyId;
    return { kind: 'outOfScope', main: a, note: 'works for the sister company: filtered away by company=<main company id>, else only in Huma' };
  })],
  ['equivalentFormat', 5, (ctx, [p1, p2, p3, p4, p5]) => {
    const [a, b, c, d, e] = /** @type {Pair[]} */ ([p1, p2, p3, p4, p5]);
    huma(a).phone = formatPhone(a.person.mobile, 'dashed');
    crona(a).Mobil = formatPhone(a.person.mobile, 'e164');
    const hb = /** @type {import('../types.js').Address} */ (huma(b).homeAddress);
    hb.postalCode = spacedPostcode(b.person.address.postalCode);
    crona(b).PostNr = b.person.address.postalCode;
    const hc = /** @type {import('../types.js').Address} */ (huma(c).homeAddress);
    hc.country = 'SE';
    crona(c).LandAdr = 'Sverige';
    const parts = makeAccount(ctx.rng, pnr10(d.person), '2:3');
    d.person.account = parts;
    huma(d).bankAccount = { type: 'national', number: typedAccount(ctx.rng, parts, 'swedbankPrinted'), country: 'SE' };
    Object.assign(crona(d), cronaAccount(parts, false));
    const name = ctx.rng.pick(DIACRITIC_GIVEN);
    huma(e).givenName = name.normalize('NFD');
    crona(e).FoNamn = name.normalize('NFC');
    return [
      { kind: 'equivalentFormat', field: 'phone', main: a, note: 'the same number: 070-… in Huma, +46… in Crona' },
      { kind: 'equivalentFormat', field: 'address', part: 'postalCode', main: b, note: 'the same postcode with and without the space' },
      { kind: 'equivalentFormat', field: 'address', part: 'country', main: c, note: '"SE" in Huma, "Sverige" in Crona' },
      { kind: 'equivalentFormat', field: 'bankAccount', main: d, note: 'a Swedbank account printed with the 5-digit clearing in Huma, 4 digits in Crona' },
      { kind: 'equivalentFormat', field: 'givenName', main: e, note: 'the same name, decomposed (NFD) in Huma and composed (NFC) in Crona' },
    ];
  }],
];

/** Deactivates the Huma user and ends their employment 45 days ago. @param {PlantCtx} ctx @param {Pair} a */
function deactivate(ctx, a) {
  const h = huma(a);
  h.active = false;
  h.deactivatedAt = `${addDays(ctx.today, -40)}T16:02:11.204Z`;
  const end = addDays(ctx.today, -45);
  a.positions = a.positions.filter((p) => !p.contractStartDate || p.contractStartDate <= end);
  if (!a.positions.length) {
    const title = TEAMS[a.person.teamIndex]?.titles.at(-1) ?? '';
    a.positions = [position(ctx.rng, h.id, { contractStartDate: addMonths(end, -30), titleId: ctx.reg.titleIds.get(title) ?? null })];
  }
  a.cronaOwnPositions = false;
  for (const p of a.positions) {
    if (!p.contractEndDate || p.contractEndDate > end) {
      p.contractEndDate = end;
      p.lastDayOfWork = end;
      p.endReason = 'employee_resigned';
    }
  }
}
