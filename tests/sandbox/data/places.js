// Swedish cities with their real postcode ranges and real street names. Data as data: checkable against a map.

/**
 * @typedef {Object} City
 * @property {string} name
 * @property {number} weight                 share of the staff living there
 * @property {readonly (readonly [number, number])[]} postcodes  inclusive ranges of 5-digit postcodes
 * @property {readonly string[]} streets     flat streets (apartments: "lgh NNNN" in line 2)
 * @property {readonly string[]} houseStreets  villa streets (no apartment number)
 */

/** @type {readonly City[]} */
export const CITIES = [
  { name: 'Stockholm', weight: 30, postcodes: [[11120, 11869]],
    streets: ['Drottninggatan', 'Götgatan', 'Hornsgatan', 'Sveavägen', 'Ringvägen', 'Sankt Eriksgatan', 'Odengatan',
      'Fleminggatan', 'Folkungagatan', 'Birger Jarlsgatan', 'Karlavägen', 'Östgötagatan', 'Sköldgatan'],
    houseStreets: ['Björkvägen', 'Lärkstigen'] },
  { name: 'Göteborg', weight: 18, postcodes: [[41101, 41878]],
    streets: ['Linnégatan', 'Vasagatan', 'Första Långgatan', 'Övre Husargatan', 'Majorsgatan', 'Karl Johansgatan',
      'Friggagatan', 'Kungsportsavenyen', 'Södra Vägen', 'Ånäsvägen'],
    houseStreets: ['Tallvägen', 'Ekebergsvägen'] },
  { name: 'Malmö', weight: 12, postcodes: [[21115, 21778]],
    streets: ['Södra Förstadsgatan', 'Amiralsgatan', 'Regementsgatan', 'Föreningsgatan', 'Bergsgatan',
      'Östra Rönneholmsvägen', 'Kungsgatan', 'Möllevångsgatan'],
    houseStreets: ['Limhamnsvägen', 'Syrenvägen'] },
  { name: 'Uppsala', weight: 8, postcodes: [[75220, 75655]],
    streets: ['Svartbäcksgatan', 'Kungsgatan', 'Dragarbrunnsgatan', 'Sysslomansgatan', 'Luthagsesplanaden',
      'Vaksalagatan', 'Väderkvarnsgatan'],
    houseStreets: ['Ekvägen', 'Granstigen'] },
  { name: 'Umeå', weight: 6, postcodes: [[90325, 90750]],
    streets: ['Rådhusesplanaden', 'Storgatan', 'Kungsgatan', 'Skolgatan', 'Östra Kyrkogatan', 'Västra Esplanaden'],
    houseStreets: ['Björnvägen', 'Älvstigen'] },
  { name: 'Linköping', weight: 6, postcodes: [[58222, 58758]],
    streets: ['Drottninggatan', 'Ågatan', 'Storgatan', 'Hamngatan', 'Platensgatan', 'Klostergatan'],
    houseStreets: ['Rydsvägen', 'Lövstigen'] },
  { name: 'Örebro', weight: 5, postcodes: [[70210, 70379]],
    streets: ['Drottninggatan', 'Fabriksgatan', 'Storgatan', 'Rudbecksgatan', 'Nygatan'],
    houseStreets: ['Almvägen', 'Hagstigen'] },
  { name: 'Västerås', weight: 5, postcodes: [[72210, 72598]],
    streets: ['Vasagatan', 'Stora Gatan', 'Kopparbergsvägen', 'Köpmangatan', 'Sigurdsgatan'],
    houseStreets: ['Rönnvägen', 'Vallmostigen'] },
  { name: 'Lund', weight: 5, postcodes: [[22220, 22738]],
    streets: ['Stora Södergatan', 'Bantorget', 'Clemenstorget', 'Kävlingevägen', 'Västra Mårtensgatan'],
    houseStreets: ['Hasselvägen', 'Fågelsångsvägen'] },
  { name: 'Jönköping', weight: 5, postcodes: [[55316, 55658]],
    streets: ['Östra Storgatan', 'Barnarpsgatan', 'Kyrkogatan', 'Västra Storgatan', 'Klostergatan'],
    houseStreets: ['Lillåvägen', 'Solstigen'] },
];

/**
 * A home address as people have it: street + number (+ letter), apartment number "lgh NNNN" (floor 10–16,
 * door 01–09, the Swedish national apartment register form) for flats.
 * @typedef {{ line1: string, line2: string, postalCode: string, city: string, cityIndex: number }} HomeAddress
 */

/**
 * @param {import('../random.js').Rng} rng
 * @param {number} cityIndex
 * @returns {HomeAddress}
 */
export function makeAddress(rng, cityIndex) {
  const city = /** @type {City} */ (CITIES[cityIndex]);
  const flat = rng.chance(0.75);
  const street = rng.pick(flat ? city.streets : city.houseStreets);
  const letter = rng.chance(0.15) ? rng.pick(['A', 'B', 'C']) : '';
  const line1 = `${street} ${rng.int(1, flat ? 120 : 40)}${letter}`;
  const line2 = flat ? `lgh ${rng.int(10, 16)}${String(rng.int(1, 9)).padStart(2, '0')}` : '';
  const range = rng.pick(city.postcodes);
  const postalCode = String(rng.int(range[0], range[1]));
  return { line1, line2, postalCode, city: city.name, cityIndex };
}

/** @param {import('../random.js').Rng} rng @returns {number} a city index, weighted */
export function pickCity(rng) {
  return rng.weighted(CITIES.map((c, i) => /** @type {const} */ ([c.weight, i])));
}

/** "11453" → "114 53" (the way Swedish postcodes are printed). @param {string} digits */
export function spacedPostcode(digits) {
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
