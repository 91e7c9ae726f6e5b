// Step 4: the plan in words, the exact writes (one row per field: system, person, field with its
// API property names, before → after), the operations, what is left out and why, and the
// mass-change confirmation when the plan changes many people or fields at once.
import { planWrites } from '../../../pkg/lib/writes.js';
import { fill, h, uid } from '../dom.js';
import { count, fieldLabel, message } from '../format.js';
import { pager } from '../pager.js';
import { writesTable } from '../writes-table.js';

/** @param {import('./wizard.js').Wizard} w */
export function reviewStep(w) {
  // The heading stays (it has the focus); what is under it comes with the plan from the worker,
  // and the heading names the step once it is there to review.
  const heading = h('h2', {}, 'Review: planning…');
  const body = h('div');
  w.session.plan(w.decisions).then((plan) => {
    fill(body, review(w, plan));
    heading.textContent = 'Review the plan';
  }, (error) => {
    heading.textContent = 'Review';
    fill(body, h('p', { class: 'status status-error', role: 'alert' }, `These choices can't be planned: ${message(error)}`),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: () => w.go(1) }, 'Back to the choices')));
  });
  return h('section', { class: 'card step' }, heading, body);
}

/** @param {import('./wizard.js').Wizard} w @param {import('../../../pkg/index.js').Plan} plan */
function review(w, plan) {
  w.plan = plan;
  w.allowMassChange = false;
  const ops = pager({ label: 'Operations', pageSize: 25, list: 'ol', empty: 'Nothing to write.', render: (/** @type {import('../../../pkg/index.js').Operation} */ o) => h('li', {}, o.description) });
  ops.setItems(plan.operations);
  const run = h('button', { type: 'button', class: 'button primary', disabled: plan.needsMassChangeApproval, onclick: () => w.go(4) }, plan.operations.length ? `Run ${plan.operations.length.toLocaleString('en-GB')} operations` : 'Finish (nothing to write)');
  const massId = uid('mass');
  const mass = plan.needsMassChangeApproval
    ? h('div', { class: 'field checkbox warning' },
      h('input', { type: 'checkbox', id: massId, onchange: (/** @type {Event} */ e) => { w.allowMassChange = /** @type {HTMLInputElement} */ (e.target).checked; run.disabled = !w.allowMassChange; } }),
      h('label', { for: massId }, 'This plan is a mass change (why: see the plan above; usual for a first sync). I have checked it and approve it.'))
    : null;
  const skipped = plan.skipped.length ? pager({ label: 'Left out', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Plan['skipped'][number]} */ s) => h('li', {}, `${s.person.name}: ${s.reason.message}`) }) : null;
  skipped?.setItems(plan.skipped);
  const c = plan.counts;
  const writes = planWrites(plan);
  return [
    h('p', { class: 'lead' }, plan.summary),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Update in Crona'), h('dd', {}, String(c.updateCrona)),
      h('dt', {}, 'Update in Huma'), h('dd', {}, String(c.updateHuma)),
      h('dt', {}, 'Create in Crona'), h('dd', {}, String(c.createCrona)),
      h('dt', {}, 'Create in Huma'), h('dd', {}, String(c.createHuma)),
      h('dt', {}, 'Left as they are'), h('dd', {}, String(c.left)),
      h('dt', {}, 'Blocked'), h('dd', {}, String(plan.blocked.length))),
    h('h3', {}, `The exact writes (${count(writes.length, 'field', 'fields')})`),
    writes.length ? writesTable(writes, { label: 'Writes' }) : h('p', {}, 'Nothing to write.'),
    h('h3', {}, 'Operations'), ops.el,
    skipped ? h('details', {}, h('summary', {}, `Left out, with the reason (${plan.skipped.length})`), skipped.el) : null,
    mass,
    h('p', { class: 'hint' }, `Nothing has been written yet. Fields written: ${[...new Set(plan.operations.flatMap((o) => o.fields))].map(fieldLabel).join(', ') || 'none'}.`),
    h('div', { class: 'actions sticky' }, run, h('button', { type: 'button', class: 'button', onclick: () => w.go(2) }, 'Back')),
  ];
}

