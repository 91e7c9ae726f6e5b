// What "Push changes now" would send, shown before anything is written: person by person, the
// fields going to Crona Lön, and what waits for "Synchronize users". The administrator sends it
// or cancels; nothing is written until they send.
import { fill, h } from '../dom.js';
import { count } from '../format.js';
import { pager } from '../pager.js';
import { fieldName } from '../../../pkg/lib/words.js';

/** @typedef {import('../../../pkg/index.js').Plan} Plan */

/**
 * One write as a line: who, where, which fields.
 * @param {{ person: import('../../../pkg/index.js').PersonRef, fields: string[] }} o
 */
export function writeLine(o) {
  const who = o.person.anstNr ? `${o.person.name} (AnstNr ${o.person.anstNr})` : o.person.name;
  return `${who}: ${o.fields.map(fieldName).join(', ')}`;
}

/**
 * Shows what the push would send in `area` and resolves true when the administrator sends it,
 * false when they cancel or `signal` aborts (the page was left, or the lease lost).
 * @param {HTMLElement} area @param {Plan} plan @param {AbortSignal} signal
 * @returns {Promise<boolean>}
 */
export function confirmPush(area, plan, signal) {
  return new Promise((resolve) => {
    const writes = pager({ label: 'What would be sent', pageSize: 25, render: (/** @type {Plan['operations'][number]} */ o) => h('li', {}, writeLine(o)) });
    writes.setItems(plan.operations);
    const held = plan.skipped.length
      ? pager({ label: 'Waits for "Synchronize users"', pageSize: 20, render: (/** @type {Plan['skipped'][number]} */ s) => h('li', {}, `${s.person.name}: ${s.reason.message}`) })
      : null;
    held?.setItems(plan.skipped);
    const done = (/** @type {boolean} */ go) => {
      signal.removeEventListener('abort', stop);
      resolve(go);
    };
    const stop = () => done(false);
    signal.addEventListener('abort', stop, { once: true });
    const send = h('button', { type: 'button', class: 'button primary', onclick: () => done(true) }, `Send ${count(plan.operations.length, 'change', 'changes')} to Crona Lön`);
    fill(area,
      h('h3', { tabindex: '-1' }, 'What would be sent'),
      h('p', {}, `${plan.summary} Nothing has been written yet.`),
      writes.el,
      held ? h('details', {}, h('summary', {}, `Waits for "Synchronize users" (${plan.skipped.length})`), held.el) : null,
      h('div', { class: 'actions sticky' }, send, h('button', { type: 'button', class: 'button', onclick: () => done(false) }, 'Cancel: send nothing')),
    );
    send.focus();
  });
}
