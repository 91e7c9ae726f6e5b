// Drift: the everyday differences of a big register. After planting, a seeded share of the plain matched persons
// (never a planted one, never person 0) get exactly one difference between Huma and Crona, of a kind drawn by the
// seeded generator. Drifted persons are recorded apart from `planted` (World.drifted), in the same shape.
//
// The kinds (a subset of the planted-case vocabulary of plant.js):
//   conflict phone                 Crona has another mobile number
//   conflict address (line1)       Crona has another address line 1 (another street number)
//   missingInCrona privateEmail    Crona's EpostPriv is null; Huma has the private e-mail
//   missingInHuma phone            Huma has no phone; Crona has the Mobil
//   conflict familyName            Crona has another family name (e.g. after a marriage)
//   conflict bankAccount           Crona has another valid Swedish salary account
//
// Which persons drift: round(drift × eligible) of them, chosen by a shuffle of the stream (seed, 'drift'); what
// changes for each comes from the person's own stream (seed, 'drift', index), so a larger drift keeps the persons
// a smaller one chose. drift 0 touches nothing.

import { Rng } from '../random.js';
import { FAMILY } from './names.js';
import { formatPhone, PHONE_STYLES } from './phone.js';
import { makeAccount, cronaAccount } from './bank.js';
import { uniqueMobile } from './person.js';
import { pnr10 } from './plant-util.js';
import { humaValue, cronaValue } from './fields.js';

/** @typedef {import('./person.js').Pair} Pair */
/** @typedef {import('./person.js').Registry} Registry */
/** @typedef {import('./fields.js').Field} Field */
/** @typedef {import('../types.js').DriftedCase} DriftedCase */
/** @typedef {import('../types.js').HumaUser} HumaUser */
/** @typedef {import('../types.js').Employee} Employee */
/** @typedef {import('../types.js').Address} Address */

/**
 * One kind of drift: [weight, kind, field, part?, applies to this pair?, apply (returns the note)].
 * @typedef {readonly [number, string, Field, string | undefined, (h: HumaUser, c: Employee) => boolean, (rng: Rng, pair: Pair, reg: Registry) => string]} DriftKind
 */

/** @param {Pair} p */
const huma = (p) => /** @type {HumaUser} */ (p.huma);
/** @param {Pair} p */
const crona = (p) => /** @type {Employee} */ (p.crona);

/** @type {readonly DriftKind[]} */
export const DRIFT_KINDS = [
  [3, 'conflict', 'phone', undefined, (h, c) => Boolean(h.phone && c.Mobil), (rng, pair, reg) => {
    crona(pair).Mobil = formatPhone(uniqueMobile(rng, reg), rng.pick(PHONE_STYLES));
    return 'a new mobile number in Crona';
  }],
  [3, 'conflict', 'address', 'line1', (h, c) => Boolean(h.homeAddress?.line1 && c.Adress1), (rng, pair) => {
    const c = crona(pair);
    const before = String(c.Adress1);
    let after = before;
    while (after === before) after = before.replace(/\d+/, () => String(rng.int(1, 120)));
    c.Adress1 = after;
    return 'another street number in Crona\'s address line 1';
  }],
  [2, 'missingInCrona', 'privateEmail', undefined, (h) => Boolean(h.privateEmail), (rng, pair) => {
    crona(pair).EpostPriv = null;
    return 'no EpostPriv in Crona; Huma has the private e-mail';
  }],
  [1, 'missingInHuma', 'phone', undefined, (h, c) => Boolean(h.phone && c.Mobil), (rng, pair) => {
    huma(pair).phone = null;
    return 'no phone in Huma; Crona has the Mobil';
  }],
  [1, 'conflict', 'familyName', undefined, (h, c) => Boolean(h.familyName && c.EfNamn), (rng, pair) => {
    const c = crona(pair);
    c.EfNamn = rng.pick(FAMILY.filter((f) => f !== c.EfNamn));
    return 'another family name in Crona (after a marriage)';
  }],
  [2, 'conflict', 'bankAccount', undefined, (h, c) => Boolean(h.bankAccount?.type === 'national' && c.UtbetClearNr && c.UtbetKontoNr), (rng, pair) => {
    const before = pair.person.account;
    let parts = makeAccount(rng, pnr10(pair.person));
    // a second personkonto would be the same account (it is the personnummer): draw until it really differs
    while (parts.clearing === before.clearing || parts.account === before.account) parts = makeAccount(rng, pnr10(pair.person));
    Object.assign(crona(pair), cronaAccount(parts, rng.chance(0.4)));
    return 'another salary account in Crona (both valid)';
  }],
];

/**
 * Gives a share `drift` (0..1) of the eligible pairs one difference each, mutating them.
 * @param {{ seed: number, drift: number, reg: Registry }} ctx
 * @param {Pair[]} pairs      every pair, by index
 * @param {Set<Pair>} planted the pairs some planted case uses
 * @returns {DriftedCase[]}   in person order
 */
export function applyDrift({ seed, drift, reg }, pairs, planted) {
  if (!(drift > 0)) return [];
  /** @param {Pair} p */
  const fitting = (p) => DRIFT_KINDS.filter((k) => k[4](huma(p), crona(p)));
  const eligible = pairs.filter((p, i) => i > 0 && !planted.has(p) && p.huma && p.crona && p.huma.active && fitting(p).length > 0);
  const count = Math.round(drift * eligible.length);
  const chosen = new Rng(seed, 'drift').shuffle(eligible).slice(0, count);
  chosen.sort((a, b) => a.person.index - b.person.index);
  return chosen.map((pair) => {
    const rng = new Rng(seed, 'drift', pair.person.index);
    const [, kind, field, part, , apply] = rng.weighted(fitting(pair).map((k) => /** @type {const} */ ([k[0], k])));
    const note = apply(rng, pair, reg);
    const h = huma(pair), c = crona(pair);
    return {
      kind, field, ...(part ? { part } : {}), humaId: h.id, anstNr: c.AnstNr, email: h.email,
      huma: humaValue(h, field), crona: cronaValue(c, field), note,
    };
  });
}
