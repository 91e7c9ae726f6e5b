// Seeded pseudo-random numbers. The sandbox never uses Math.random: the same (seed, people, today) must give
// byte-identical data, so every random choice comes from an Rng seeded by a string of "stream" parts.

/**
 * cyrb128: hashes a string into four 32-bit words, the seed state of sfc32.
 * @param {string} str
 * @returns {[number, number, number, number]}
 */
function cyrb128(str) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32, a small fast PRNG with a 128-bit state. Streams are independent: `new Rng(seed, 'person', 17)`. */
export class Rng {
  /** @param {...(string | number)} parts */
  constructor(...parts) {
    const [a, b, c, d] = cyrb128(parts.join('\u001f'));
    /** @type {number} */ this.a = a;
    /** @type {number} */ this.b = b;
    /** @type {number} */ this.c = c;
    /** @type {number} */ this.d = d;
    for (let i = 0; i < 12; i++) this.uint32(); // let the state mix before the first real draw
  }

  /** @returns {number} an unsigned 32-bit integer */
  uint32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** @returns {number} a float in [0, 1) */
  next() {
    return this.uint32() / 4294967296;
  }

  /** @param {number} min @param {number} max @returns {number} an integer in [min, max] */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** @param {number} p @returns {boolean} true with probability p */
  chance(p) {
    return this.next() < p;
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) {
    return /** @type {T} */ (items[Math.floor(this.next() * items.length)]);
  }

  /**
   * @template T
   * @param {readonly (readonly [number, T])[]} table  [weight, value] rows
   * @returns {T}
   */
  weighted(table) {
    let total = 0;
    for (const [w] of table) total += w;
    let r = this.next() * total;
    for (const [w, v] of table) {
      if (r < w) return v;
      r -= w;
    }
    return /** @type {T} */ (table[table.length - 1]?.[1]);
  }

  /** @param {number} n @returns {string} n random decimal digits */
  digits(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.uint32() % 10);
    return s;
  }

  /** @param {number} n @returns {string} n random lowercase hex digits */
  hex(n) {
    let s = '';
    while (s.length < n) s += (this.uint32() + 0x100000000).toString(16).slice(1);
    return s.length === n ? s : s.slice(0, n);
  }

  /** @returns {string} a version-4-shaped UUID drawn from this stream */
  uuid() {
    const s = this.hex(32);
    const variant = '89ab'[parseInt(s.charAt(16), 16) & 3];
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20)}`;
  }

  /** Fisher–Yates, in place. @template T @param {T[]} items @returns {T[]} */
  shuffle(items) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = /** @type {T} */ (items[i]);
      items[i] = /** @type {T} */ (items[j]);
      items[j] = tmp;
    }
    return items;
  }
}
