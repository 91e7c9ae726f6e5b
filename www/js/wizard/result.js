// Step 6: the result as the e-mail would read it, the error log, what still differs and why, and
// the report to download. The state for the next sync is stored here.
import { colours, reportText } from '../../../pkg/lib/cli/render.js';
import { announce, h } from '../dom.js';
import { fieldLabel, message, today } from '../format.js';
import { downloadLink } from '../download.js';
import { pager } from '../pager.js';
import { recordRun, saveState } from '../store.js';

const REASONS = /** @type {Record<string, string>} */ ({
  failed: 'The write failed', leftByChoice: 'Left by choice', blocked: 'Blocked', would_clear: 'A bulk choice never clears',
  not_allowed: 'Not possible', notApplied: 'Written, not yet shown', unverified: 'Couldn\'t check', manual_sync: 'Waits for a sync',
});

/** @param {import('./wizard.js').Wizard} w */
export function resultStep(w) {
  const report = /** @type {import('../../../pkg/index.js').Report} */ (w.report);
  const ok = report.errors.length === 0;
  const nextState = { ...report.nextState, connection: w.identity };
  /** @type {string | null} */
  let notSaved = null;
  try {
    saveState(w.connection.id, nextState);
    recordRun(w.connection.id, { at: new Date().toISOString(), kind: 'sync', ok, outcome: report.summary.text, errors: report.errors });
  } catch (error) {
    // The writes are done: the result still shows, and the state can be kept by hand.
    notSaved = `The browser couldn't store the sync state (${message(error)}): download it and keep it, or free space in this browser. Without it the next sync starts as a first sync.`;
  }
  announce(report.summary.text);
  w.free();
  const remaining = pager({ label: 'Differences that remain', pageSize: 25, empty: 'None: both systems agree on everything the sync covers.', render: (/** @type {import('../../../pkg/index.js').Report['remaining'][number]} */ r) =>
    h('li', {}, h('strong', {}, `${r.difference.person.name} · ${fieldLabel(r.difference.field)}`), ` — ${REASONS[r.reason] ?? r.reason}: ${r.explanation}`) });
  remaining.setItems(report.remaining);
  const name = `crona-sync-report-${today()}`;
  return h('section', { class: 'card step' },
    h('h2', {}, ok ? 'Done' : 'Done, with errors'),
    h('p', { class: `status ${ok ? 'status-ok' : 'status-error'}` }, report.summary.text),
    notSaved ? h('p', { class: 'status status-error', role: 'alert' }, notSaved) : null,
    h('h3', {}, `Error log (${report.errors.length})`),
    report.errors.length
      ? h('table', { class: 'errors-table' },
        h('caption', { class: 'sr-only' }, 'Writes that failed'),
        h('thead', {}, h('tr', {}, ['Person', 'System', 'Fields', 'Status', 'Code', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, report.errors.map((e) => h('tr', {}, h('td', {}, e.person.name), h('td', {}, e.system === 'huma' ? 'Huma' : 'Crona Lön'), h('td', {}, e.fields.map(fieldLabel).join(', ')), h('td', {}, String(e.status ?? '—')), h('td', {}, e.code ?? '—'), h('td', {}, e.message)))))
      : h('p', {}, 'No write failed.'),
    h('h3', {}, `What still differs (${report.remaining.length})`), remaining.el,
    h('div', { class: 'actions' },
      downloadLink('Download the report (JSON)', `${name}.json`, JSON.stringify(report, null, 2), 'application/json'),
      downloadLink('Download the report (text)', `${name}.txt`, reportText(report, colours({ isTTY: false })), 'text/plain'),
      notSaved ? downloadLink('Download the sync state', `crona-sync-state-${today()}.json`, JSON.stringify(nextState), 'application/json') : null,
      h('button', { type: 'button', class: 'button primary', onclick: () => w.nav.home(`sync-${w.connection.id}`) }, 'Back to connections')),
  );
}
