// A straightforward JavaScript match and diff over the same fields, as a JS tool would write it:
// decode and parse every body (the bytes off the wire, as our session gets them), match by
// trimmed lower-case work e-mail, compare the mapped fields after the usual normalisations. The
// bench compares our preview with it.

const nfc = (/** @type {unknown} */ s) => (typeof s === 'string' ? s.normalize('NFC').trim() : '');
const digits = (/** @type {string} */ s) => s.replace(/\D/g, '');
const COUNTRIES = /** @type {Record<string, string>} */ ({ sverige: 'SE', sweden: 'SE', se: 'SE', norge: 'NO', norway: 'NO', no: 'NO', danmark: 'DK', denmark: 'DK', dk: 'DK', suomi: 'FI', finland: 'FI', fi: 'FI' });

/** @param {string} s */
function phone(s) {
  const d = digits(s);
  if (!d) return '';
  if (s.trim().startsWith('+')) return `+${d}`;
  if (d.startsWith('00')) return `+${d.slice(2)}`;
  if (d.startsWith('0')) return `+46${d.slice(1)}`;
  return `+${d}`;
}

/** @param {any} w */
const v = (w) => nfc(w?.value);

/** @param {any} u a Huma UserDetails */
function fromHuma(u) {
  const a = u.homeAddress?.value ?? {};
  return {
    email: nfc(u.email?.value).toLowerCase(),
    employmentId: v(u.employmentId),
    givenName: v(u.givenName),
    familyName: v(u.familyName),
    address: [nfc(a.line1), nfc(a.line2), digits(nfc(a.postalCode)), nfc(a.city), COUNTRIES[nfc(a.country).toLowerCase()] ?? nfc(a.country).toUpperCase()].join(' | '),
    phone: phone(v(u.phone)),
    bankAccount: digits(nfc(u.bankAccount?.value?.number)),
    privateEmail: v(u.privateEmail).toLowerCase(),
  };
}

/** @param {any} e a Crona employee */
function fromCrona(e) {
  return {
    email: nfc(e.EpostArb).toLowerCase(),
    employmentId: nfc(e.AnstNr),
    givenName: nfc(e.FoNamn),
    familyName: nfc(e.EfNamn),
    address: [nfc(e.Adress1), nfc(e.Adress2), digits(nfc(e.PostNr)), nfc(e.PostOrt), COUNTRIES[nfc(e.LandAdr).toLowerCase()] ?? nfc(e.LandAdr).toUpperCase()].join(' | '),
    phone: phone(nfc(e.Mobil)),
    bankAccount: digits(nfc(e.UtbetClearNr) + nfc(e.UtbetKontoNr)),
    privateEmail: nfc(e.EpostPriv).toLowerCase(),
  };
}

/**
 * @param {Map<string, { body: Uint8Array }>} responses  by request id
 * @returns {{ matched: number, differences: number }}
 */
export function jsPreview(responses) {
  /** @type {Map<string, ReturnType<typeof fromHuma>>} */
  const huma = new Map();
  /** @type {ReturnType<typeof fromCrona>[]} */
  const crona = [];
  const utf8 = new TextDecoder();
  for (const [id, r] of responses) {
    if (id.startsWith('huma:user:')) {
      const p = fromHuma(JSON.parse(utf8.decode(r.body)));
      if (p.email) huma.set(p.email, p);
    } else if (id.startsWith('crona:employees:')) {
      for (const e of JSON.parse(utf8.decode(r.body)).items) crona.push(fromCrona(e));
    } else if (id.startsWith('huma:')) {
      JSON.parse(utf8.decode(r.body)); // listings and positions are read too
    }
  }
  let matched = 0;
  let differences = 0;
  for (const c of crona) {
    const h = huma.get(c.email);
    if (!h) continue;
    matched++;
    for (const k of /** @type {(keyof typeof c)[]} */ (Object.keys(c))) if (h[k] !== c[k]) differences++;
  }
  return { matched, differences };
}
