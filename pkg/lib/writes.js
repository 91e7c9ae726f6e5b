// The exact writes of a plan or a run as an administrator reads them: one line per field written
// (system, person, field with its API property names, before → after, and after a run the
// outcome), for the page's review and result, the CLI, the text report and the CSV download.
// The core gives the rows (`Operation.writes`, `OperationOutcome.writes`); this only flattens and
// words them. Every API value goes through visible() before it is shown or written to a file.
import { csv } from './csv.js';
import { fieldLabel } from './core.js';
import { visible as v } from './text.js';
import { outcomeWords, systemName } from './words.js';

/**
 * One field written, with who and, after a run, how it ended.
 * @typedef {{
 *   system: import('../index.js').System,
 *   person: import('../index.js').PersonRef,
 *   field: string,
 *   properties: string[],
 *   before: string | null,
 *   after: string | null,
 *   sent: Record<string, unknown>,
 *   operationId: string,
 *   outcome?: import('../index.js').OperationOutcome['outcome'],
 *   error?: string,
 * }} WriteLine
 */


/** Every write a plan would make, a Huma create's follow-up included, in plan order. @param {import('../index.js').Plan} plan @returns {WriteLine[]} */
export function planWrites(plan) {
  return plan.operations.flatMap((o) => [...o.writes, ...(o.thenWrites ?? [])].map((r) => line(r, o.person, o.id)));
}

/** Every write of a run with its outcome (a failure's message as the error). @param {import('../index.js').Report} report @returns {WriteLine[]} */
export function reportWrites(report) {
  return (report.outcomes ?? []).flatMap((o) => (o.writes ?? []).map((r) => ({
    ...line(r, o.person, o.operationId),
    outcome: o.outcome,
    error: o.outcome === 'failed' ? o.message ?? o.code ?? '' : '',
  })));
}

/** @param {import('../index.js').WriteRow} r @param {import('../index.js').PersonRef} person @param {string} operationId @returns {WriteLine} */
function line(r, person, operationId) {
  return { system: r.system, person, field: r.field, properties: r.properties, before: r.before, after: r.after, sent: r.sent, operationId };
}

/**
 * The field as a payroll administrator reads it: in Crona with Crona's own property names, as
 * payroll administrators know them ("Salary account (UtbetClearNr, UtbetKontoNr)", "Job title
 * (Befattning)"); in Huma by its label alone ("Mobile phone"), since Huma's API names aren't
 * what anyone sees in Huma.
 * @param {{ system: string, field: string, properties: string[] }} w
 */
export function writeField(w) {
  const label = fieldLabel(w.field).replace(/ \([^)]*\)$/, '');
  return w.system === 'crona' && w.properties.length ? `${label} (${w.properties.join(', ')})` : label;
}

/** A value for reading: "(empty)" for none. Not yet visible(): callers do that. @param {string | null} value */
export function shown(value) {
  return value === null || value === undefined ? '(empty)' : value;
}

/** The person as the lines name them: "Elisabeth Söderström (AnstNr 1013, e@x.se)". @param {import('../index.js').PersonRef} p */
export function personText(p) {
  const ids = [p.anstNr ? `AnstNr ${p.anstNr}` : null, p.email ?? null].filter(Boolean);
  return ids.length ? `${p.name} (${ids.join(', ')})` : p.name;
}

/** One write in a line: "Salary account (UtbetClearNr, UtbetKontoNr): 6114-517182351 → 8327-0147258925". @param {{ system: string, field: string, properties: string[], before: string | null, after: string | null }} w */
export function writeText(w) {
  return `${v(writeField(w))}: ${v(shown(w.before))} → ${v(shown(w.after))}`;
}

/**
 * The writes as a CSV file for a spreadsheet: one row per field written. Cells that a
 * spreadsheet would run as a formula are kept as text (csv.js); control characters are shown.
 * @param {WriteLine[]} lines @param {string} time  when the run ran
 */
export function writesCsv(lines, time) {
  return csv(['time', 'system', 'person', 'AnstNr', 'field', 'property', 'before', 'after', 'outcome', 'error'],
    lines.map((w) => [time, systemName(w.system), w.person.name, w.person.anstNr ?? '', fieldLabel(w.field), w.properties.join(', '),
      w.before ?? '', w.after ?? '', w.outcome ? outcomeWords(w.outcome) : '', w.error ?? ''].map((cell) => v(cell))));
}

/**
 * The writes as lines of text: one per field, "  done    Crona  Elisabeth Söderström (AnstNr
 * 1013, …)  Salary account (UtbetClearNr, UtbetKontoNr): 6114-517182351 → 8327-0147258925".
 * @param {WriteLine[]} lines @param {{ red: (s: string) => string, dim: (s: string) => string }} [c] @param {string} [indent]
 * @returns {string[]}
 */
export function writesLines(lines, c = { red: (s) => s, dim: (s) => s }, indent = '  ') {
  return lines.map((w) => {
    const outcome = w.outcome ? `${outcomeWords(w.outcome).padEnd(13)} ` : '';
    const text = `${indent}${outcome}${systemName(w.system).padEnd(9)}  ${v(personText(w.person))}  ${writeText(w)}`;
    const error = w.error ? ` (${v(w.error)})` : '';
    return w.outcome === 'failed' ? c.red(text + error) : w.outcome === 'notRun' ? c.dim(text) : text + error;
  });
}
