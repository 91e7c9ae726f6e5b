// A table as CSV for a spreadsheet: every cell quoted, and a cell that a spreadsheet would run
// as a formula (=, +, -, @, a tab or a return first) kept as text with a leading apostrophe.

/** @param {unknown} value */
function cell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** @param {string[]} header @param {unknown[][]} rows */
export function csv(header, rows) {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
