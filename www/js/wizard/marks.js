// Which part of a shown value differs from the other system's, so the eye goes straight to it:
// the address's parts that differ (the core compares it part by part), or else the characters
// that differ, or the whole value when little is shared. Only text comes out; the caller marks it.

/** @typedef {{ text: string, marked: boolean }} Segment */
/** @typedef {{ display: string, normalized: string }} Shown */

/** Below this share of characters in common, marking single characters is noise: mark it all. */
const SHARED_ENOUGH = 0.5;
/** Longer values are marked whole: the character comparison is quadratic. */
const LONGEST = 200;

/**
 * Each side's display in segments, the differing ones `marked`. A side that is empty has nothing
 * to mark; neither has a side whose display is the same as the other's.
 * @param {string} field  the difference's field key
 * @param {Shown | null} huma @param {Shown | null} crona
 * @returns {{ huma: Segment[], crona: Segment[] }}
 */
export function differing(field, huma, crona) {
  if (!huma || !crona) return { huma: plain(huma), crona: plain(crona) };
  if (huma.display === crona.display) return { huma: plain(huma), crona: plain(crona) };
  const parts = field === 'address' ? addressParts(huma, crona) : null;
  return parts ?? characters(huma.display, crona.display);
}

/** @param {Shown | null} v @returns {Segment[]} */
function plain(v) {
  return v ? [{ text: v.display, marked: false }] : [];
}

/**
 * An address is shown as the core joins it: street, line 2, "postal code city", country, the
 * empty ones left out, with ", " between; it is compared as five normalized parts joined by " | ".
 * A shown part is marked when a normalized part behind it differs (so "111 35" against "11135",
 * or "SE" against "Sverige", is not). Null when the display can't be split that way (a comma
 * inside a part), so the caller falls back to characters.
 * @param {Shown} huma @param {Shown} crona
 */
function addressParts(huma, crona) {
  const a = huma.normalized.split(' | ');
  const b = crona.normalized.split(' | ');
  if (a.length !== 5 || b.length !== 5) return null;
  const same = a.map((x, i) => x === b[i]);
  const side = (/** @type {Shown} */ v, /** @type {string[]} */ norm) => {
    const shown = v.display.split(', ');
    // Which normalized parts stand behind each shown part, in the core's order.
    const behind = [[0], [1], [2, 3], [4]].filter((ix) => ix.some((i) => norm[i] !== ''));
    if (behind.length !== shown.length) return null;
    /** @type {Segment[]} */
    const out = [];
    shown.forEach((text, i) => {
      if (i > 0) out.push({ text: ', ', marked: false });
      out.push({ text, marked: behind[i].some((n) => !same[n]) });
    });
    return out;
  };
  const h = side(huma, a);
  const c = side(crona, b);
  return h && c ? { huma: join(h), crona: join(c) } : null;
}

/**
 * The characters not in the longest common subsequence, by code point; the whole value when the
 * two share less than half of the longer one.
 * @param {string} x @param {string} y
 */
function characters(x, y) {
  const a = Array.from(x);
  const b = Array.from(y);
  const whole = () => ({ huma: [{ text: x, marked: true }], crona: [{ text: y, marked: true }] });
  if (a.length > LONGEST || b.length > LONGEST) return whole();
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  if (lcs[0][0] < SHARED_ENOUGH * Math.max(a.length, b.length)) return whole();
  /** @type {Segment[]} */
  const hs = [];
  /** @type {Segment[]} */
  const cs = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      hs.push({ text: a[i++], marked: false });
      cs.push({ text: b[j++], marked: false });
    } else if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1])) {
      hs.push({ text: a[i++], marked: true });
    } else {
      cs.push({ text: b[j++], marked: true });
    }
  }
  return { huma: join(hs), crona: join(cs) };
}

/** Neighbouring segments alike in marking become one. @param {Segment[]} segments */
function join(segments) {
  /** @type {Segment[]} */
  const out = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.marked === s.marked) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
