// The connections list, as the service keeps them: each connection's health (active since, last
// sync and push, the webhooks and the daily run, last error, who is running on it now, who gets
// the result e-mail), what the webhook receiver held, its webhooks, its runs and error log, and
// its actions.
import { api } from '../api.js';
import { announce, fill, focusHeading, h } from '../dom.js';
import { count, message, when } from '../format.js';
import { heldArea } from './held.js';
import { history } from './history.js';
import { webhooksSection } from './webhooks.js';

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
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button quiet', id: 'refresh-connections', onclick: () => nav.home('refresh-connections') }, 'Refresh'),
          h('button', { type: 'button', class: 'button', id: 'add-connection', onclick: () => nav.edit(null) }, 'Add connection')),
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

/**
 * @param {Connection} c @param {Nav} nav
 * @param {string} [notice]  what was just done on it (an approval), shown where it was done
 */
function card(c, nav, notice) {
  const headingId = `conn-${c.id}`;
  /** Shows the connection again as the service has it now, with a notice. @param {string} said */
  const again = async (said) => {
    /** @type {Connection} */
    let fresh;
    try {
      fresh = (await api('GET', `/api/connections/${c.id}`)).connection;
    } catch {
      announce(said);
      return nav.home();
    }
    const next = card(fresh, nav, said);
    article.replaceWith(next);
    announce(said);
    /** @type {HTMLElement | null} */ (next.querySelector('.notice'))?.focus();
  };
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
  const w = c.webhooks;
  const article = h('article', { class: 'card connection', 'aria-labelledby': headingId },
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
      h('dt', {}, 'Last webhook received'), h('dd', {}, w.configured ? when(w.lastReceivedAt) : 'Webhooks not set up'),
      h('dt', {}, 'Webhook queue'), h('dd', {}, w.queued ? `${count(w.queued, 'event', 'events')} waiting to be pushed` : 'Empty'),
      h('dt', {}, 'Held events'), h('dd', { class: w.held ? 'attention' : '' }, w.held ? `${count(w.held, 'event', 'events')} held for an administrator: see "Held for you" below` : 'None'),
      h('dt', {}, 'Next daily run'), h('dd', {}, c.schedule.nextRunAt ? when(c.schedule.nextRunAt) : '—'),
      c.schedule.driftCheck ? [h('dt', {}, 'Last drift check'), h('dd', {}, c.schedule.lastDrift ? `${when(c.schedule.lastDrift.at)}: ${c.schedule.lastDrift.summary ?? 'no result'}` : 'Not run yet')] : null,
      h('dt', {}, 'Last error'), h('dd', { class: c.lastError ? 'error-text' : '' }, c.lastError ? `${when(c.lastError.at)}: ${c.lastError.message}` : 'None'),
      h('dt', {}, 'Result e-mail'), h('dd', {}, mailText(c.mail)),
    ),
    busy ? h('p', { class: 'status status-pending lease' }, busy) : null,
    notice ? h('p', { class: 'status status-ok notice', role: 'status', tabindex: '-1' }, notice) : null,
    w.held ? heldArea(c, again) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: `sync-${c.id}`, disabled: Boolean(c.lease), title: running, onclick: () => nav.sync(c) }, 'Synchronize users'),
      h('button', { type: 'button', class: 'button', disabled: !c.active || Boolean(c.lease), title: running ?? (c.active ? null : 'Available once the first sync has activated the connection'), onclick: () => nav.push(c) }, 'Push changes now'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => nav.edit(c) }, 'Edit'),
      removeButton,
    ),
    removeArea,
    webhooksSection(c),
    c.runs.length || c.lastError ? history(c) : null,
  );
  return article;
}

/** @param {Record<string, number> | undefined} counts */
function outcome(counts) {
  if (!counts) return 'done';
  const parts = [count(counts.created ?? 0, 'created', 'created'), count(counts.updated ?? 0, 'updated', 'updated')];
  if (counts.failed) parts.push(count(counts.failed, 'failed', 'failed'));
  return parts.join(', ');
}

/** Who gets the result e-mail, or why nobody does. @param {import('../api.js').Mail} mail */
function mailText(mail) {
  if (!mail.smtp) return ['No e-mail: the service has no SMTP server (crona-sync smtp on the server)', mail.recipients.length ? `. Recipients kept for when it has one: ${mail.recipients.join(', ')}` : ''].join('');
  if (!mail.recipients.length) return 'No recipients';
  return `To ${mail.recipients.join(', ')}${mail.scheduled ? ' (also the daily run and webhook pushes that wrote or failed)' : ' (after each "Synchronize users")'}`;
}
