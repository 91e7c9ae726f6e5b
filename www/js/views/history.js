// A connection's runs (who or what started them, how they ended) and its error log, by kind of
// run: a sync from the page, a push, a webhook push, the daily run, the drift check. The latest
// runs come with the connection; opening the list loads more, and the error log, which can be
// downloaded (JSON, CSV) as filtered. Each finished run's writes (before → after, with how each
// ended) download as the same CSV the result step offers, from the report the service keeps.
import { api } from '../api.js';
import { csv } from '../csv.js';
import { downloadLink } from '../download.js';
import { fill, h, uid } from '../dom.js';
import { KIND_LABELS, kindLabel, message, today, when } from '../format.js';
import { fieldName } from '../../../pkg/lib/words.js';
import { reportWrites, writesCsv } from '../../../pkg/lib/writes.js';

/** @typedef {import('../api.js').Run} Run @typedef {import('../api.js').ErrorEntry} ErrorEntry */

const OUTCOME_TEXT = /** @type {Record<string, string>} */ ({ done: 'Done', failed: 'Done, with errors', stopped: 'Stopped', cancelled: 'Cancelled', refused: 'Refused' });
const SYSTEM_TEXT = /** @type {Record<string, string>} */ ({ huma: 'Huma', crona: 'Crona Lön' });

/** @param {import('../api.js').Connection} c */
export function history(c) {
  /** @type {Run[]} */
  let runs = c.runs;
  /** @type {ErrorEntry[] | null} */
  let errors = null;
  let loading = false;

  const filterId = uid('kind');
  const filter = h('select', { id: filterId, onchange: () => render() },
    h('option', { value: '' }, 'All kinds'),
    Object.entries(KIND_LABELS).map(([kind, label]) => h('option', { value: kind }, label)));
  const list = h('ol', { class: 'runs' });
  const earlier = h('div');
  const status = h('p', { class: 'hint', role: 'status' });
  const downloads = h('div', { class: 'actions' });
  /** @type {string[]} the blob URLs offered now, freed when replaced */
  let offered = [];

  /** The kind of run an error belongs to; a runless entry naming people was held by the webhook receiver. @param {ErrorEntry} e */
  const kindOf = (e) => {
    const run = e.runId === null ? null : runs.find((r) => r.id === e.runId);
    return run ? run.kind : Array.isArray(e.people) ? 'webhook' : null;
  };

  function render() {
    const kind = filter.value;
    const shown = runs.filter((r) => !kind || r.kind === kind);
    const entries = (errors ?? []).filter((e) => !kind || kindOf(e) === kind);
    /** @type {Map<number, ErrorEntry[]>} */
    const byRun = new Map();
    /** @type {ErrorEntry[]} */
    const loose = [];
    for (const e of entries) {
      if (e.runId !== null && shown.some((r) => r.id === e.runId)) byRun.set(e.runId, [...(byRun.get(e.runId) ?? []), e]);
      else loose.push(e);
    }
    fill(list, shown.length
      ? shown.map((r) => runItem(c.id, r, byRun.get(r.id) ?? []))
      : h('li', { class: 'empty' }, kind ? `No ${kindLabel(kind)} among the last ${runs.length} runs.` : 'No run yet.'));
    fill(earlier, loose.length ? [h('h5', {}, 'Other errors (of older runs, or held by the webhook receiver)'), h('ul', { class: 'errors' }, loose.map((e) => h('li', {}, entryText(e))))] : null);
    if (!errors) return;
    status.textContent = entries.length ? '' : kind ? `No errors logged for ${kindLabel(kind)}.` : 'No errors logged.';
    for (const url of offered) URL.revokeObjectURL(url);
    const name = `crona-sync-errors-${c.id}${kind ? `-${kind}` : ''}-${today()}`;
    const links = [
      downloadLink('Download the error log (JSON)', `${name}.json`, JSON.stringify(entries.map((e) => ({ kind: kindOf(e), ...e })), null, 2), 'application/json'),
      downloadLink('Download the error log (CSV)', `${name}.csv`, asCsv(entries, kindOf), 'text/csv'),
    ];
    offered = links.map((a) => a.href);
    fill(downloads, entries.length ? links : null);
  }

  const load = async () => {
    if (errors || loading || !details.open) return;
    loading = true;
    status.textContent = 'Loading the runs and the error log…';
    try {
      const [r, e] = await Promise.all([api('GET', `/api/connections/${c.id}/runs`), api('GET', `/api/connections/${c.id}/errors`)]);
      runs = r.runs;
      errors = e.errors;
      fill(summary, `Recent runs and error log (${runs.length})`);
      render();
      details.dataset.loaded = 'true';
    } catch (error) {
      status.textContent = `The error log couldn't be loaded: ${message(error)}`;
    } finally {
      loading = false;
    }
  };

  const summary = h('summary', {}, `Recent runs and error log (${runs.length})`);
  const details = h('details', { class: 'history', ontoggle: load },
    summary,
    h('div', { class: 'toolbar' }, h('div', { class: 'field inline' }, h('label', { for: filterId }, 'Show'), filter)),
    list,
    earlier,
    status,
    downloads);
  render();
  return details;
}

/** @param {number} connectionId @param {Run} r @param {ErrorEntry[]} entries */
function runItem(connectionId, r, entries) {
  const ok = r.outcome === 'done' || r.outcome === 'cancelled';
  return h('li', { class: ok || !r.finishedAt ? '' : 'run-failed', 'data-kind': r.kind },
    h('p', {}, h('strong', {}, `${when(r.startedAt)} · ${kindLabel(r.kind)} · started by ${r.startedBy}`), ' ',
      r.finishedAt ? `${OUTCOME_TEXT[r.outcome ?? ''] ?? r.outcome}: ${r.summary ?? ''}` : 'Running…'),
    r.finishedAt ? writesDownload(connectionId, r) : null,
    entries.length ? h('ul', { class: 'errors' }, entries.map((e) => h('li', {}, entryText(e)))) : null);
}

/**
 * The run's writes as CSV: its report is loaded when asked for (reports can be large), then
 * offered as a file. @param {number} connectionId @param {Run} r
 */
function writesDownload(connectionId, r) {
  const note = h('span', { class: 'hint', role: 'status' });
  const button = h('button', { type: 'button', class: 'button quiet', onclick: async () => {
    button.disabled = true;
    note.textContent = 'Loading the report…';
    try {
      const { report } = await api('GET', `/api/connections/${connectionId}/runs/${r.id}`);
      const writes = report?.outcomes ? reportWrites(report) : [];
      if (!writes.length) {
        note.textContent = report ? 'This run wrote nothing.' : 'This run has no report.';
        return;
      }
      const link = downloadLink(`Download the writes (CSV, ${writes.length})`, `crona-sync-writes-${connectionId}-run-${r.id}.csv`, writesCsv(writes, report.time ?? r.startedAt), 'text/csv');
      note.textContent = '';
      button.replaceWith(link);
      link.focus();
    } catch (error) {
      note.textContent = `The report couldn't be loaded: ${message(error)}`;
      button.disabled = false;
    }
  } }, 'Writes (CSV)');
  return h('div', { class: 'run-writes' }, button, note);
}

/** One line of the error log: a write that failed, why a run stopped, or what was held. @param {ErrorEntry} e */
function entryText(e) {
  if (e.person) {
    const where = SYSTEM_TEXT[e.system ?? ''] ?? e.system ?? '';
    return `${when(e.at)} · ${e.person.name}: ${where} ${e.status ?? ''} ${e.code ?? ''} ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.map(fieldName).join(', ')})` : ''}`.replace(/ +/g, ' ');
  }
  return `${when(e.at)} · ${e.message ?? e.code ?? 'Unknown error'}`;
}

/** @param {ErrorEntry[]} entries @param {(e: ErrorEntry) => string | null} kindOf */
function asCsv(entries, kindOf) {
  return csv(['at', 'run', 'kind', 'person', 'humaId', 'anstNr', 'system', 'status', 'code', 'message', 'fields', 'peopleHeld'],
    entries.map((e) => {
      const kind = kindOf(e);
      return [e.at, e.runId, kind ? kindLabel(kind) : '', e.person?.name, e.person?.humaId, e.person?.anstNr, e.system ? SYSTEM_TEXT[e.system] ?? e.system : '',
        e.status, e.code, e.message, (e.fields ?? []).map(fieldName).join('; '), (e.people ?? []).length || ''];
    }));
}
