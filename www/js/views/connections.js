// The connections list: each connection's health (active since, last sync and push, last error,
// recent runs with their error logs) and its actions.
import { announce, fill, focusHeading, h } from '../dom.js';
import { count, when } from '../format.js';
import { connections, removeConnection, runsOf, secretsOf, stateOf } from '../store.js';

/** @typedef {import('../../app.js').Nav} Nav */

/** @param {HTMLElement} root @param {Nav} nav @param {string} [focusId] */
export function showConnections(root, nav, focusId) {
  const list = connections();
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

/** @param {import('../store.js').Connection} c @param {Nav} nav */
function card(c, nav) {
  const state = stateOf(c.id);
  const runs = runsOf(c.id);
  const lastError = runs.find((r) => !r.ok || r.errors.length);
  const active = Boolean(state?.activatedAt);
  const headingId = `conn-${c.id}`;
  const needsSecrets = !secretsOf(c.id);
  const removeArea = h('div', { class: 'remove-area' });
  const askRemove = () => {
    fill(removeArea,
      h('p', { role: 'alert' }, `Remove "${c.name}"? Its sync state and history go too; nothing changes in Huma or Crona.`),
      h('button', { type: 'button', class: 'button danger', onclick: () => { removeConnection(c.id); announce(`Removed ${c.name}.`); nav.home('add-connection'); } }, 'Remove'),
      h('button', { type: 'button', class: 'button', onclick: () => { fill(removeArea); removeButton.focus(); } }, 'Cancel'),
    );
    /** @type {HTMLElement} */ (removeArea.querySelector('button')).focus();
  };
  const removeButton = h('button', { type: 'button', class: 'button quiet', onclick: askRemove }, 'Remove');
  const lastSync = /** @type {any} */ (state?.lastSync);
  const lastPush = /** @type {any} */ (state?.lastPush);
  return h('article', { class: 'card connection', 'aria-labelledby': headingId },
    h('div', { class: 'connection-head' },
      h('h3', { id: headingId }, c.name),
      h('span', { class: `badge ${active ? 'badge-ok' : 'badge-muted'}` }, active ? 'Active' : 'Not active yet'),
    ),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Huma'), h('dd', {}, c.group ? `${c.group.name} (${c.group.type})` : 'The whole organisation'),
      h('dt', {}, 'Crona Lön'), h('dd', {}, c.crona ? c.crona.companyName : 'Not verified yet'),
      h('dt', {}, 'Active since'), h('dd', {}, active ? when(state?.activatedAt) : 'Activated by the first "Synchronize users"'),
      h('dt', {}, 'Last sync'), h('dd', {}, lastSync ? `${when(lastSync.at)}: ${outcome(lastSync.counts)}` : '—'),
      h('dt', {}, 'Last push'), h('dd', {}, lastPush ? `${when(lastPush.at)}: ${outcome(lastPush.counts)}` : '—'),
      h('dt', {}, 'Last error'), h('dd', { class: lastError ? 'error-text' : '' }, lastError ? `${when(lastError.at)}: ${lastError.outcome}` : 'None'),
    ),
    needsSecrets ? h('p', { class: 'hint' }, 'The secrets are kept only while this tab is open: enter them again to synchronize.') : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: `sync-${c.id}`, onclick: () => (needsSecrets ? nav.edit(c.id) : nav.sync(c.id)) }, 'Synchronize users'),
      h('button', { type: 'button', class: 'button', disabled: !active, title: active ? null : 'Available once the first sync has activated the connection', onclick: () => (needsSecrets ? nav.edit(c.id) : nav.push(c.id)) }, 'Push changes now'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => nav.edit(c.id) }, 'Edit'),
      removeButton,
    ),
    removeArea,
    runs.length ? history(runs) : null,
  );
}

/** @param {Record<string, number> | undefined} counts */
function outcome(counts) {
  if (!counts) return 'done';
  const parts = [count(counts.created ?? 0, 'created', 'created'), count(counts.updated ?? 0, 'updated', 'updated')];
  if (counts.failed) parts.push(count(counts.failed, 'failed', 'failed'));
  return parts.join(', ');
}

/** The recent runs and their error logs. @param {import('../store.js').RunRecord[]} runs */
function history(runs) {
  return h('details', { class: 'history' },
    h('summary', {}, `Recent runs and error log (${runs.length})`),
    h('ol', { class: 'runs' }, runs.map((r) => h('li', { class: r.ok && !r.errors.length ? '' : 'run-failed' },
      h('p', {}, h('strong', {}, `${when(r.at)} · ${r.kind}`), ' ', r.outcome),
      r.errors.length
        ? h('ul', { class: 'errors' }, r.errors.map((e) => h('li', {}, `${e.person.name}: ${e.system} ${e.status ?? ''} ${e.code ?? ''} ${e.message} (${e.fields.join(', ')})`)))
        : null,
    ))),
  );
}
