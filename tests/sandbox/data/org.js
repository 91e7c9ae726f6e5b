// The employer: its company names, teams and the Swedish job titles each team has. Data as data.

/** Crona company name (and the Huma company group) per seed; seed 1 is "Exempel Bygg AB". */
/** @type {readonly { name: string, domain: string, sister: string }[]} */
export const COMPANIES = [
  { name: 'Exempel Bygg AB', domain: 'exempelbygg.se', sister: 'Exempel Fastighetsservice AB' },
  { name: 'Nordvik Fastighet AB', domain: 'nordvikfastighet.se', sister: 'Nordvik Förvaltning AB' },
  { name: 'Sörby Entreprenad AB', domain: 'sorbyentreprenad.se', sister: 'Sörby Maskin AB' },
  { name: 'Älvdalens Snickeri AB', domain: 'alvdalenssnickeri.se', sister: 'Älvdalens Trä AB' },
  { name: 'Lindqvist & Öberg Konsult AB', domain: 'lindqvistoberg.se', sister: 'Lindqvist & Öberg Redovisning AB' },
];

/** @param {number} seed */
export function companyFor(seed) {
  const i = ((Math.abs(Math.trunc(seed)) - 1) % COMPANIES.length + COMPANIES.length) % COMPANIES.length;
  return /** @type {(typeof COMPANIES)[number]} */ (COMPANIES[i]);
}

/**
 * Teams with their weight in the staff and the titles people in them hold (the first is the team lead's).
 * Ledning has weight 0: only the managing director (person 0) is placed there.
 * @type {readonly { name: string, weight: number, titles: readonly string[] }[]}
 */
export const TEAMS = [
  { name: 'Ledning', weight: 0, titles: ['VD'] },
  { name: 'Produktion', weight: 40, titles: ['Platschef', 'Arbetsledare', 'Snickare', 'Betongarbetare', 'Elektriker', 'Målare', 'Lagerarbetare'] },
  { name: 'Projekt', weight: 14, titles: ['Projektchef', 'Projektledare', 'Byggnadsingenjör', 'Kalkylator'] },
  { name: 'Ekonomi', weight: 10, titles: ['Ekonomichef', 'Controller', 'Redovisningsekonom', 'Ekonomiassistent'] },
  { name: 'Lön & HR', weight: 6, titles: ['HR-chef', 'HR-partner', 'Lönespecialist', 'Löneadministratör'] },
  { name: 'Försäljning', weight: 12, titles: ['Försäljningschef', 'Säljare', 'Kundansvarig'] },
  { name: 'Kundservice', weight: 8, titles: ['Kundservicechef', 'Kundtjänstmedarbetare', 'Receptionist'] },
  { name: 'IT', weight: 6, titles: ['IT-chef', 'IT-tekniker', 'Systemutvecklare'] },
  { name: 'Inköp', weight: 4, titles: ['Inköpschef', 'Inköpare', 'Administratör'] },
];

/** Every distinct title, in a stable order. */
export const ALL_TITLES = [...new Set(TEAMS.flatMap((t) => t.titles))];
