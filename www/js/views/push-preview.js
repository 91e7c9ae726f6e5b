// What "Push changes now" would send, shown before anything is written: every field going to
// Crona Lön with its value before → after, and what waits for "Synchronize users". The administrator sends it
// or cancels; nothing is written until they send.
import { fill, h } from '../dom.js';
import { count } from '../format.js';
import { pager } from '../pager.js';
import { planWrites } from '../../../pkg/lib/writes.js';
import { writesTable } from '../writes-table.js';

/** @typedef {import('../../../pkg/index.js').Plan} Plan */

/**
 * Shows what the push would send in `area` and resolves true when the administrator sends it,
 * false when they cancel or `signal` aborts (the page was left, or the lease lost).
 * @param {HTMLElement} area @param {Plan} plan @param {AbortSignal} signal
 * @returns {Promise<boolean>}
 */
export function confirmPush(area, plan, signal) {
  return new Promise((resolve) => {
    const writes = writesTable(planWrites(plan), { label: 'What would be sent' });
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
      writes,
      held ? h('details', {}, h('summary', {}, `Waits for "Synchronize users" (${plan.skipped.length})`), held.el) : null,
      h('div', { class: 'actions sticky' }, send, h('button', { type: 'button', class: 'button', onclick: () => done(false) }, 'Cancel: send nothing')),
    );
    send.focus();
  });
}
