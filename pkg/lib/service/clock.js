// Dates as the payroll sees them: in Sweden (Europe/Stockholm), whatever the server's zone.

/** The date in Sweden at this moment, YYYY-MM-DD. @param {Date} at */
export function stockholmDate(at) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(at);
}
