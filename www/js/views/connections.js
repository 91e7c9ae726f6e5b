// The connections list, as the service keeps them: each connection's health (active since, last
// sync and push, last error, who is running on it now), its recent runs with who started them and
// their error log, and its actions.
import { api } from '../api.js';
import { announce, fill, focusHeading, h } from '../dom.js';
import { count, fieldLabel, message, when } from '../format.js';

/** @typedef {import('../../app.js').Nav} Nav */
/** @typedef {import('../api.js').Connection} Connection */

/** @param {HTMLElement} root @param {Nav} nav @param {string} [focusId] */
export async function showConnections(root, nav, focusId) {
  /** @type {Connection[]} */
  let list;
  try {
    list = (await api('GET', '/api/connections')).connections;
  } catch (error) {
    if (/** @type {any} */ (error)?.code === 'signed_out') return;
    fill(root, h('section', { class: 'view', 'aria-labelledby': 'connections-heading' },
      h('h2', { id: 'connections-heading' }, 'Connections'),
      h('p', { class: 'status status-error', role: 'alert' }, `The connections couldn't be loaded: ${message(error)}`),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: () => nav.home(focusId) }, 'Try again'))));
    focusHeading(root);
    return;
  }
  fill(root,
    h('section', { class: 'view', 'aria-labelledby': 'connections-heading' },
      h('div', { class: 'view-head' },
        h('h2', { id: 'connections-heading' }, 'Connections'),
        h('button', { type: 'button', class: 'button', id: 'add-connection', onclick: () => nav.edit(null) }, 'Add connection'),
      ),
      list.length
        ? h('ul', { class: 'connections' }, list.map((c) => h('li', {}, card(c, nav))))
        : h('div', { class: 'card empty' },
          h('p', {}, 'No connection yet. A connection links one Huma group to one Crona Lön company.'),
          h('button', { type: 'button', class: 'button primary', onclick: () => nav.edit(null) }, 'Connect Huma and Crona Lön')),
    ),
  );
  const target = focusId ? document.getElementById(focusId) : null;
  if (target) target.focus();
  else focusHeading(root);
}

/** @param {Connection} c @param {Nav} nav */
function card(c, nav) {
  const headingId = `conn-${c.id}`;
  const removeArea = h('div', { class: 'remove-area' });
  const remove = async () => {
    try {
      await api('DELETE', `/api/connections/${c.id}`);
      announce(`Removed ${c.name}.`);
      nav.home('add-connection');
    } catch (error) {
      const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, `Not removed: ${message(error)}`);
      fill(removeArea, shown);
      shown.focus();
    }
  };
  const askRemove = () => {
    fill(removeArea,
      h('p', { role: 'alert' }, `Remove "${c.name}"? Its credentials, sync state and history go too; nothing changes in Huma or Crona.`),
      h('button', { type: 'button', class: 'button danger', onclick: remove }, 'Remove'),
      h('button', { type: 'button', class: 'button', onclick: () => { fill(removeArea); removeButton.focus(); } }, 'Cancel'),
    );
    /** @type {HTMLElement} */ (removeArea.querySelector('button')).focus();
  };
  const removeButton = h('button', { type: 'button', class: 'button quiet', onclick: askRemove }, 'Remove');
  const busy = c.lease ? `Running: ${c.lease.holder}, until ${when(c.lease.expiresAt)} at the latest` : null;
  const running = c.lease ? 'Someone is running on this connection: wait for it to finish' : null;
  return h('article', { class: 'card connection', 'aria-labelledby': headingId },
    h('div', { class: 'connection-head' },
      h('h3', { id: headingId }, c.name),
      h('span', { class: `badge ${c.active ? 'badge-ok' : 'badge-muted'}` }, c.active ? 'Active' : 'Not active yet'),
    ),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Huma'), h('dd', {}, c.group ? `${c.group.name} (${c.group.type})` : 'The whole organisation'),
      h('dt', {}, 'Crona Lön'), h('dd', {}, c.crona.companyName || c.crona.companyId || 'Not verified yet'),
      h('dt', {}, 'Active since'), h('dd', {}, c.active ? when(c.activatedAt) : 'Activated by the first "Synchronize users"'),
      h('dt', {}, 'Last sync'), h('dd', {}, c.lastSync ? `${when(c.lastSync.at)}: ${outcome(c.lastSync.counts)}` : '—'),
      h('dt', {}, 'Last push'), h('dd', {}, c.lastPush ? `${when(c.lastPush.at)}: ${outcome(c.lastPush.counts)}` : '—'),
      h('dt', {}, 'Last error'), h('dd', { class: c.lastError ? 'error-text' : '' }, c.lastError ? `${when(c.lastError.at)}: ${c.lastError.message}` : 'None'),
    ),
    busy ? h('p', { class: 'status status-pending lease' }, busy) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: `sync-${c.id}`, disabled: Boolean(c.lease), title: running, onclick: () => nav.sync(c) }, 'Synchronize users'),
      h('button', { type: 'button', class: 'button', disabled: !c.active || Boolean(c.lease), title: running ?? (c.active ? null : 'Available once the first sync has activated the connection'), onclick: () => nav.push(c) }, 'Push changes now'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => nav.edit(c) }, 'Edit'),
      removeButton,
    ),
    removeArea,
    c.runs.length || c.lastError ? history(c) : null,
  );
}

/** @param {Record<string, number> | undefined} counts */
function outcome(counts) {
  if (!counts) return 'done';
  const parts = [count(counts.created ?? 0, 'created', 'created'), count(counts.updated ?? 0, 'updated', 'updated')];
  if (counts.failed) parts.push(count(counts.failed, 'failed', 'failed'));
  return parts.join(', ');
}

const OUTCOME_TEXT = /** @type {Record<string, string>} */ ({ done: 'Done', failed: 'Done, with errors', stopped: 'Stopped', cancelled: 'Cancelled' });

/**
 * The recent runs, who started them and how they ended; their error log is loaded when opened.
 * @param {Connection} c
 */
function history(c) {
  /** @type {Map<number, HTMLElement>} each run's error list */
  const logs = new Map();
  const earlier = h('div');
  const status = h('p', { class: 'hint', role: 'status' });
  let loaded = false;
  const load = async () => {
    if (loaded || !details.open) return;
    loaded = true;
    status.textContent = 'Loading the error log…';
    try {
      /** @type {import('../api.js').ErrorEntry[]} */
      const errors = (await api('GET', `/api/connections/${c.id}/errors`)).errors;
      /** @type {Map<number | null, import('../api.js').ErrorEntry[]>} */
      const byRun = new Map();
      for (const e of errors) {
        const key = e.runId !== null && logs.has(e.runId) ? e.runId : null;
        byRun.set(key, [...(byRun.get(key) ?? []), e]);
      }
      for (const [runId, entries] of byRun) {
        const list = h('ul', { class: 'errors' }, entries.map((e) => h('li', {}, entry(e))));
        if (runId === null) fill(earlier, h('h4', {}, 'Earlier errors'), list);
        else fill(/** @type {HTMLElement} */ (logs.get(runId)), list);
      }
      status.textContent = errors.length ? '' : 'No errors logged.';
    } catch (error) {
      loaded = false;
      status.textContent = `The error log couldn't be loaded: ${message(error)}`;
    }
  };
  const details = h('details', { class: 'history', ontoggle: load },
    h('summary', {}, `Recent runs and error log (${c.runs.length})`),
    h('ol', { class: 'runs' }, c.runs.map((r) => {
      const log = h('div');
      logs.set(r.id, log);
      const ok = r.outcome === 'done' || r.outcome === 'cancelled';
      return h('li', { class: ok || !r.finishedAt ? '' : 'run-failed' },
        h('p', {}, h('strong', {}, `${when(r.startedAt)} · ${r.kind} · started by ${r.startedBy}`), ' ',
          r.finishedAt ? `${OUTCOME_TEXT[r.outcome ?? ''] ?? r.outcome}: ${r.summary ?? ''}` : 'Running…'),
        log);
    })),
    earlier,
    status,
  );
  return details;
}

/** One line of the error log: a write that failed, or why a run stopped. @param {import('../api.js').ErrorEntry} e */
function entry(e) {
  if (e.person) {
    const where = e.system === 'huma' ? 'Huma' : e.system === 'crona' ? 'Crona Lön' : e.system ?? '';
    return `${when(e.at)} · ${e.person.name}: ${where} ${e.status ?? ''} ${e.code ?? ''} ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.map(fieldLabel).join(', ')})` : ''}`.replace(/ +/g, ' ');
  }
  return `${when(e.at)} · ${e.message ?? e.code ?? 'Unknown error'}`;
}
