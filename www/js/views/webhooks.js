// A connection's webhook receiver: setting it up (or replacing its secret) and the two values to
// type into Huma. The service shows the secret once, in the answer to the call that made it; the
// page shows it here until the view changes and keeps no copy.
import { api } from '../api.js';
import { fill, h, uid } from '../dom.js';
import { message } from '../format.js';

const TOPICS = 'users-create, users-update, users-delete, users-export';

/** @param {import('../api.js').Connection} c */
export function webhooksSection(c) {
  const headingId = uid('webhooks');
  const state = h('p');
  const actions = h('div', { class: 'actions' });
  const confirmArea = h('div');
  const output = h('div');
  let busy = false;

  const create = async () => {
    if (busy) return;
    busy = true;
    fill(confirmArea);
    fill(output, h('p', { class: 'status status-pending', role: 'status' }, 'Making the receiver\'s secret…'));
    try {
      /** @type {{ url: string, secret: string }} */
      const made = await api('POST', `/api/connections/${c.id}/webhook`);
      configured(true);
      const said = h('p', { class: 'status status-ok', role: 'status', tabindex: '-1' },
        'Webhooks set up. The secret is shown only now, here: set both values in Huma before you leave this page.');
      fill(output, said,
        h('p', {}, `In Huma: System settings → Webhooks → Add: URL = the receiver URL below, client secret = the webhook secret below, topics ${TOPICS}.`),
        copyable('Receiver URL', made.url),
        copyable('Webhook secret (Huma\'s client secret)', made.secret),
        h('p', { class: 'hint' }, 'From then on, each change in Huma reaches Crona Lön within seconds, by the push rules; a change of many people at once waits here for you.'));
      said.focus();
    } catch (error) {
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, `Webhooks not set up: ${message(error)}`);
      fill(output, shown);
      shown.focus();
    } finally {
      busy = false;
    }
  };

  const askReplace = () => {
    fill(confirmArea,
      h('p', { role: 'alert' }, 'Replace the secret? The one set in Huma stops working at once: Huma\'s deliveries are refused until you set the new one there.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button danger', onclick: create }, 'Replace'),
        h('button', { type: 'button', class: 'button', onclick: () => { fill(confirmArea); /** @type {HTMLElement | null} */ (actions.querySelector('button'))?.focus(); } }, 'Cancel')));
    /** @type {HTMLElement} */ (confirmArea.querySelector('button')).focus();
  };

  /** @param {boolean} yes */
  const configured = (yes) => {
    fill(state, yes ? 'Webhooks: set up' : 'Webhooks: not set up. Changes in Huma reach Crona Lön when someone runs "Synchronize users" or "Push changes now", and at the daily run.');
    fill(actions, yes
      ? h('button', { type: 'button', class: 'button', onclick: askReplace }, 'Replace the secret')
      : h('button', { type: 'button', class: 'button', onclick: create }, 'Set up webhooks'));
  };
  configured(c.webhooks.configured);

  return h('section', { class: 'webhooks', 'aria-labelledby': headingId },
    h('h4', { id: headingId }, 'Webhooks'),
    state,
    c.active ? null : h('p', { class: 'hint' }, 'The receiver ignores deliveries until the first "Synchronize users" has activated the connection.'),
    actions,
    confirmArea,
    output);
}

/** A value to copy into Huma: read-only, selected on focus, with a copy button. @param {string} label @param {string} value */
function copyable(label, value) {
  const id = uid('copy');
  const input = h('input', { id, type: 'text', readonly: true, value, class: 'copy-value', spellcheck: 'false', autocomplete: 'off', onfocus: () => input.select() });
  const said = h('span', { class: 'hint', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      said.textContent = 'Copied.';
    } catch {
      input.focus();
      said.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  };
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('div', { class: 'copy-row' }, input, h('button', { type: 'button', class: 'button', 'aria-label': `Copy: ${label}`, onclick: copy }, 'Copy'), said));
}
