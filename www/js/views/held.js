// What the webhook receiver held for an administrator (a change of many people at once, a person
// Huma won't serve, a write refused for good): each event with its reason, what approving would
// write (read from both systems when asked), and the approval that pushes the held people now,
// as the administrator's own push. A sync covers them too.
import { api } from '../api.js';
import { fill, h, uid } from '../dom.js';
import { count, message, when } from '../format.js';
import { fieldName } from '../../../pkg/lib/words.js';
import { pager } from '../pager.js';

/**
 * @param {import('../api.js').Connection} c
 * @param {(notice: string) => Promise<void>} approved  shows the connection again, with what the approval did
 */
export function heldArea(c, approved) {
  const headingId = uid('held');
  const status = h('p', { class: 'hint', role: 'status' }, 'Loading what is held…');
  const list = pager({ label: 'Held events', pageSize: 20, empty: 'Nothing is held now.', render: (/** @type {import('../api.js').HeldEvent} */ e) => h('li', {},
    h('strong', {}, `${when(e.at)} · ${e.topic} · ${count(e.ids.length, 'person', 'people')}`), `: ${e.heldReason ?? e.heldCode ?? 'held'}`) });
  const result = h('div');
  let busy = false;
  const approve = h('button', { type: 'button', class: 'button primary', disabled: true, onclick: async () => {
    if (busy) return;
    busy = true;
    approve.setAttribute('aria-disabled', 'true');
    fill(result, h('p', { class: 'status status-pending', role: 'status' }, 'Pushing the held people to Crona Lön…'));
    try {
      /** @type {{ approved: number, stillHeld: number, summary: string }} */
      const done = await api('POST', `/api/connections/${c.id}/held/approve`);
      const still = done.stillHeld ? ` ${count(done.stillHeld, 'person is', 'people are')} still held: Huma won't serve them or Crona refused their write (see the error log).` : '';
      await approved(`Approved: ${count(done.approved, 'person', 'people')} pushed. ${done.summary}${still}`);
    } catch (error) {
      busy = false;
      approve.removeAttribute('aria-disabled');
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, `Nothing was pushed: ${message(error)}`);
      fill(result, shown);
      shown.focus();
    }
  } }, 'Approve and push now');

  (async () => {
    try {
      /** @type {import('../api.js').HeldEvent[]} */
      const events = (await api('GET', `/api/connections/${c.id}/held`)).events;
      list.setItems(events);
      status.textContent = '';
      approve.disabled = !events.length;
    } catch (error) {
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      status.textContent = `What is held couldn't be loaded: ${message(error)}`;
    }
  })();

  return h('section', { class: 'held', 'aria-labelledby': headingId },
    h('h4', { id: headingId }, `Held for you (${c.webhooks.held})`),
    h('p', {}, 'The webhook receiver held these changes from Huma instead of pushing them. Approve them to push these people to Crona Lön now (by the push rules: Huma → Crona, never clearing a value), or run "Synchronize users": a sync covers them too.'),
    status,
    h('div', { class: 'held-events' }, list.el),
    preview(c),
    h('div', { class: 'actions' }, approve),
    result);
}

/** What approving would write, person by person: loaded when opened (it reads both systems). @param {import('../api.js').Connection} c */
function preview(c) {
  const status = h('p', { class: 'hint', role: 'status' });
  const operations = pager({ label: 'What approving would write', pageSize: 25, empty: 'Nothing: both systems already agree for these people.',
    render: (/** @type {{ person: string, anstNr: string | null, fields: string[], description: string }} */ o) => h('li', {},
      o.description, o.fields.length ? h('span', { class: 'muted' }, ` (${o.fields.map(fieldName).join(', ')})`) : null) });
  operations.el.hidden = true;
  let loaded = false;
  const load = async () => {
    if (loaded || !details.open) return;
    loaded = true;
    status.textContent = 'Reading Huma and Crona Lön for the held people…';
    try {
      /** @type {{ people: number, needsMassChangeApproval: boolean, operations: { person: string, anstNr: string | null, fields: string[], description: string }[] }} */
      const plan = await api('GET', `/api/connections/${c.id}/held/preview`);
      status.textContent = `${count(plan.operations.length, 'write', 'writes')} for ${count(plan.people, 'person', 'people')}, read from both systems now.`
        + (plan.needsMassChangeApproval ? ' This is a mass change: approving it is your approval.' : '');
      operations.setItems(plan.operations);
      operations.el.hidden = false;
    } catch (error) {
      loaded = false;
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      status.textContent = `What approving would write couldn't be read: ${message(error)}`;
    }
  };
  const details = h('details', { class: 'held-preview', ontoggle: load }, h('summary', {}, 'What approving would write'), status, operations.el);
  return details;
}
