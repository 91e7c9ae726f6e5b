// Dates as the payroll sees them: in Sweden (Europe/Stockholm), whatever the server's zone.

const ZONE = 'Europe/Stockholm';

/** The date in Sweden at this moment, YYYY-MM-DD. @param {Date} at */
export function stockholmDate(at) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE }).format(at);
}

/** The time of day in Sweden at this moment, HH:MM. @param {Date} at */
function stockholmTime(at) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/**
 * The next moment after `from` when the clock in Sweden shows `hh:mm` (summer time or not).
 * @param {Date} from @param {number} hh @param {number} mm
 */
export function nextStockholm(from, hh, mm) {
  const wanted = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
  const [y, m, d] = stockholmDate(from).split('-').map(Number);
  for (let day = 0; day < 3; day++) {
    // Sweden is UTC+1 in winter and UTC+2 in summer: one of the two is the wanted local time.
    for (const offset of [1, 2]) {
      const t = new Date(Date.UTC(y, m - 1, d + day, hh - offset, mm));
      if (t > from && stockholmTime(t) === wanted && stockholmDate(t) === stockholmDate(new Date(Date.UTC(y, m - 1, d + day, 12)))) return t;
    }
  }
  throw new Error(`no ${wanted} in Sweden within two days of ${from.toISOString()}`);
}
