// Step 3: the people on one side only. Huma-only people can be created in Crona and Crona-only
// people in Huma; each list has "select all" and says why someone can't be created.
import { h, uid } from '../dom.js';
import { count } from '../format.js';
import { pager } from '../pager.js';
import { planSummary } from './plan-summary.js';

/** @typedef {import('../../../pkg/index.js').OneSide} OneSide */

/** @param {import('./wizard.js').Wizard} w */
export function createStep(w) {
  const p = /** @type {import('../../../pkg/index.js').Preview} */ (w.preview);
  const summary = planSummary(w);
  return h('section', { class: 'card step' },
    h('h2', {}, 'Create users'),
    h('p', { class: 'lead' }, 'People found on one side only. Choose whom to create on the other side; nobody is created unless you select them.'),
    side(w, 'Only in Huma: create in Crona Lön', p.onlyInHuma, 'createInCrona', (o) => o.person.humaId ?? '', summary.replan),
    side(w, 'Only in Crona Lön: create in Huma', p.onlyInCrona, 'createInHuma', (o) => o.person.anstNr ?? '', summary.replan),
    summary.el,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'button', class: 'button primary', onclick: () => w.go(3) }, 'Next: review'),
      h('button', { type: 'button', class: 'button', onclick: () => w.go(1) }, 'Back')),
  );
}

/**
 * @param {import('./wizard.js').Wizard} w @param {string} title @param {OneSide[]} people
 * @param {'createInCrona' | 'createInHuma'} key @param {(o: OneSide) => string} idOf @param {() => void} changed
 */
function side(w, title, people, key, idOf, changed) {
  const chosen = new Set(w.decisions[key]);
  const creatable = people.filter((o) => o.creatable);
  const headingId = uid('side');
  const allId = uid('all');
  const all = h('input', { type: 'checkbox', id: allId, disabled: !creatable.length });
  const sync = () => {
    w.decisions[key] = [...chosen];
    all.checked = creatable.length > 0 && creatable.every((o) => chosen.has(idOf(o)));
    all.indeterminate = !all.checked && creatable.some((o) => chosen.has(idOf(o)));
    changed();
  };
  const list = pager({ label: title, pageSize: 25, empty: 'Nobody.', render: (/** @type {OneSide} */ o) => {
    const id = uid('p');
    const reasonsId = `${id}-why`;
    return h('li', { class: `person${o.creatable ? '' : ' not-creatable'}` },
      h('input', { type: 'checkbox', id, disabled: !o.creatable, checked: chosen.has(idOf(o)), 'aria-describedby': o.creatable ? null : reasonsId, onchange: (/** @type {Event} */ e) => {
        if (/** @type {HTMLInputElement} */ (e.target).checked) chosen.add(idOf(o));
        else chosen.delete(idOf(o));
        sync();
      } }),
      h('label', { for: id }, h('strong', {}, o.person.name), ' ', h('span', { class: 'muted' }, [o.person.email, o.person.anstNr ? `AnstNr ${o.person.anstNr}` : null].filter(Boolean).join(' · '))),
      o.creatable ? null : h('p', { id: reasonsId, class: 'why' }, `Can't be created: ${o.reasons.map((r) => r.message).join(' ')}`));
  } });
  all.addEventListener('change', () => {
    for (const o of creatable) all.checked ? chosen.add(idOf(o)) : chosen.delete(idOf(o));
    list.setItems(people, { keepPage: true });
    sync();
  });
  list.setItems(people);
  sync();
  return h('section', { class: 'side', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, `${title} (${people.length.toLocaleString('en-GB')})`),
    people.length
      ? [h('div', { class: 'field checkbox' }, all, h('label', { for: allId }, `Select all ${count(creatable.length, 'person who can be created', 'people who can be created')}`)), list.el]
      : h('p', { class: 'hint' }, 'Nobody.'),
  );
}
