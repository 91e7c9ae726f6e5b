// The exact writes as a table, one row per field written: system, person (name, e-mail, AnstNr),
// field with its API property names, before → after, and after a run the outcome. Searchable by
// person, filterable by system, field (and outcome), a page at a time; on a phone each row stacks
// as a card with its column names, so nothing scrolls sideways. Every value goes in as text.
import { fields as fieldTable } from '../../pkg/web.js';
import { shown, writeField } from '../../pkg/lib/writes.js';
import { outcomeWords, systemName } from '../../pkg/lib/words.js';
import { h, uid } from './dom.js';
import { count, fieldLabel } from './format.js';
import { pager } from './pager.js';

/** @typedef {import('../../pkg/lib/writes.js').WriteLine} WriteLine */

/**
 * @param {WriteLine[]} lines
 * @param {{ label: string, outcomes?: boolean }} o  `outcomes`: a run's writes, with how each ended
 */
export function writesTable(lines, o) {
  const filters = { search: '', system: '', field: '', outcome: '' };
  const order = fieldTable().map((f) => f.key);
  const fields = [...new Set(lines.map((w) => w.field))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const select = (/** @type {string} */ label, /** @type {keyof typeof filters} */ key, /** @type {[string, string][]} */ options) => {
    const id = uid('writes-filter');
    const s = h('select', { id, 'data-filter': key, onchange: () => { filters[key] = s.value; refresh(); } }, options.map(([v, t]) => h('option', { value: v }, t)));
    return h('div', { class: 'field inline' }, h('label', { for: id }, label), s);
  };
  const searchId = uid('writes-search');
  const search = h('input', { id: searchId, type: 'search', placeholder: 'Name, e-mail or AnstNr', oninput: () => { filters.search = search.value.trim().toLowerCase(); refresh(); } });
  const outcomes = [...new Set(lines.map((w) => w.outcome ?? ''))].filter(Boolean);
  const toolbar = h('div', { class: 'toolbar', role: 'search', 'aria-label': `Find in ${o.label.toLowerCase()}` },
    h('div', { class: 'field inline grow' }, h('label', { for: searchId }, 'Search'), search),
    select('System', 'system', [['', 'Both systems'], ['crona', 'Crona'], ['huma', 'Huma']]),
    select('Field', 'field', [['', 'All fields'], ...fields.map((f) => /** @type {[string, string]} */ ([f, fieldLabel(f)]))]),
    o.outcomes ? select('Outcome', 'outcome', [['', 'Any outcome'], ...outcomes.map((x) => /** @type {[string, string]} */ ([x, outcomeWords(x)]))]) : null);

  const columns = ['System', 'Person', 'Field', 'Before → after', ...(o.outcomes ? ['Outcome'] : [])];
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c))));
  const cell = (/** @type {string} */ label, /** @type {(Node | string | null)[]} */ ...content) => h('td', { 'data-label': label }, ...content);
  const rows = pager({ label: o.label, pageSize: 25, list: 'tbody', frame: (body) => h('table', { class: 'writes-table', 'aria-label': o.label }, head, body), empty: 'No write matches these filters.', render: (/** @type {WriteLine} */ w) =>
    h('tr', { class: w.outcome ? `write-${w.outcome}` : null },
      cell('System', systemName(w.system)),
      cell('Person', h('span', { class: 'write-name' }, w.person.name), ' ',
        h('span', { class: 'write-ids' }, [w.person.email, w.person.anstNr ? `AnstNr ${w.person.anstNr}` : null].filter(Boolean).join(' · '))),
      cell('Field', writeField(w)),
      cell('Before → after', h('span', { class: w.before === null ? 'write-before empty' : 'write-before' }, shown(w.before)),
        h('span', { class: 'write-arrow' }, ' → '),
        h('span', { class: w.after === null ? 'write-after empty' : 'write-after' }, shown(w.after))),
      o.outcomes ? cell('Outcome', w.outcome ? outcomeWords(w.outcome) : '', w.error ? h('span', { class: 'write-error' }, ` — ${w.error}`) : null) : null) });

  const found = h('p', { class: 'hint', role: 'status' });
  function refresh() {
    const f = filters;
    const list = lines.filter((w) => (!f.system || w.system === f.system) && (!f.field || w.field === f.field) && (!f.outcome || w.outcome === f.outcome)
      && (!f.search || `${w.person.name} ${w.person.email ?? ''} ${w.person.anstNr ?? ''}`.toLowerCase().includes(f.search)));
    found.textContent = `${count(list.length, 'write', 'writes')} shown of ${lines.length.toLocaleString('en-GB')}.`;
    rows.setItems(list);
  }
  refresh();
  return h('div', { class: 'writes' }, lines.length ? [toolbar, found] : null, rows.el);
}
