// Step 6: the result as the e-mail would read it, every write with how it ended (before → after),
// the error log, what still differs and why, and the report to download (JSON, CSV of the writes,
// text). The run step has recorded it in the service; if the state couldn't be
// saved, this says why and what to do.
import { colours, reportText } from '../../../pkg/lib/render.js';
import { reportWrites, writesCsv } from '../../../pkg/lib/writes.js';
import { announce, h } from '../dom.js';
import { message, today } from '../format.js';
import { fieldName, systemName } from '../../../pkg/lib/words.js';
import { downloadLink } from '../download.js';
import { pager } from '../pager.js';
import { writesTable } from '../writes-table.js';

/** The error log's columns; on a phone each row is a block with these names. */
const ERROR_COLUMNS = ['Person', 'System', 'Fields', 'Status', 'API code', 'Message'];

/** @param {import('./wizard.js').Wizard} w */
export function resultStep(w) {
  const report = /** @type {import('../../../pkg/index.js').Report} */ (w.report);
  const ok = report.errors.length === 0;
  const notSaved = w.notSaved ? notSavedText(w.notSaved) : null;
  announce(report.summary.text);
  w.leave();
  const remaining = pager({ label: 'Differences that remain', pageSize: 25, empty: 'None: both systems agree on everything the sync covers.', render: (/** @type {import('../../../pkg/index.js').Report['remaining'][number]} */ r) =>
    h('li', {}, h('strong', {}, `${r.difference.person.name} · ${fieldName(r.difference.field)}`), ` — ${r.explanation}`) });
  remaining.setItems(report.remaining);
  // A run where a system failed throughout has as many errors as writes: a page at a time.
  const errors = pager({ label: 'Writes that failed', pageSize: 25, list: 'tbody', empty: 'No write failed.',
    frame: (body) => h('table', { class: 'errors-table stacked' },
      h('caption', { class: 'sr-only' }, 'Writes that failed'),
      h('thead', {}, h('tr', {}, ERROR_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))), body),
    render: (/** @type {import('../../../pkg/index.js').Report['errors'][number]} */ e) => h('tr', {},
      [e.person.name, systemName(e.system), e.fields.map(fieldName).join(', '), String(e.status ?? '—'), e.code ?? '—', e.message]
        .map((text, i) => h('td', { 'data-label': ERROR_COLUMNS[i] }, text))) });
  errors.setItems(report.errors);
  const name = `crona-sync-report-${today()}`;
  const writes = reportWrites(report);
  return h('section', { class: 'card step' },
    h('h2', {}, report.stopped ? 'Stopped' : ok ? 'Done' : 'Done, with errors'),
    h('p', { class: `status ${ok && !report.stopped ? 'status-ok' : 'status-error'}` }, report.summary.text),
    report.stopped ? h('p', { class: 'counts' }, tally(report)) : null,
    notSaved ? h('p', { class: 'status status-error', role: 'alert' }, notSaved) : null,
    h('h3', {}, `The writes (${writes.length})`),
    writes.length ? writesTable(writes, { label: 'Writes and their outcome', outcomes: true }) : h('p', {}, 'Nothing was written.'),
    h('h3', {}, `Error log (${report.errors.length})`),
    report.errors.length ? errors.el : h('p', {}, 'No write failed.'),
    h('h3', {}, `What still differs (${report.remaining.length})`), remaining.el,
    h('div', { class: 'actions' },
      downloadLink('Download the report (JSON)', `${name}.json`, () => JSON.stringify(report, null, 2), 'application/json'),
      downloadLink('Download the writes (CSV)', `${name}.csv`, () => writesCsv(writes, report.time), 'text/csv'),
      downloadLink('Download the report (text)', `${name}.txt`, () => reportText(report, colours({ isTTY: false })), 'text/plain'),
      h('button', { type: 'button', class: 'button primary', onclick: () => w.nav.home(`sync-${w.connection.id}`) }, 'Back to connections')),
  );
}

/** A stopped run's operations by how they ended. @param {import('../../../pkg/index.js').Report} report */
function tally(report) {
  const n = (/** @type {string} */ outcome) => report.outcomes.filter((o) => o.outcome === outcome).length;
  return `Operations: ${n('done') + n('alreadyExisted')} done · ${n('failed')} failed · ${n('unknown')} may have been written · ${n('notRun')} not run`;
}

/** What a refused finish means for the administrator. @param {unknown} error */
function notSavedText(error) {
  if (/** @type {any} */ (error)?.code === 'state_conflict') {
    return 'The writes are done and this run is recorded, but its sync state wasn\'t saved: another run saved a newer state for this connection while this one was working. '
      + 'Run "Synchronize users" again before anything else: it reads both systems afresh, and its suggestions come from the newer state.';
  }
  return `The writes are done, but the integration service couldn't record this run (${message(error)}), so its sync state wasn't saved. `
    + 'Download the report and keep it; the next sync starts from the previous state: check its preview before applying it.';
}
