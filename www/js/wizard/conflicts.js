// Step 2: the conflicts and missing values. Grouped by person or by field, searchable and
// filterable, a choice per difference and a bulk choice per field, suggestions pre-selected and
// marked, blockers with their reasons. Every change re-plans in the core; the plan's summary is
// shown (and announced) as it changes, and each row shows the plan's resolution of its difference
// (which side wins, and why when that isn't simply what was asked): the page never works it out
// itself. Only one page of rows is ever in the DOM.
import { fields as fieldTable } from '../../../pkg/web.js';
import { fill, h, uid } from '../dom.js';
import { count, fieldLabel } from '../format.js';
import { fieldName } from '../../../pkg/lib/words.js';
import { pager } from '../pager.js';
import { differing } from './marks.js';
import { planSummary } from './plan-summary.js';

/** @typedef {import('../../../pkg/index.js').Difference} Difference */
/** @typedef {import('../../../pkg/index.js').Choice} Choice */
/** @typedef {import('../../../pkg/index.js').Resolution} Resolution */

const CHOICE_TEXT = { huma: 'Huma wins', crona: 'Crona wins', leave: 'Leave as it is' };
const KIND_TEXT = { conflict: 'Conflict', missingInHuma: 'Missing in Huma', missingInCrona: 'Missing in Crona' };
const CHANGED_TEXT = { huma: 'Changed in Huma since the last sync', crona: 'Changed in Crona since the last sync', both: 'Changed in both since the last sync' };

/** @param {import('./wizard.js').Wizard} w */
export function conflictsStep(w) {
  const p = /** @type {import('../../../pkg/index.js').Preview} */ (w.preview);
  /** @type {Map<string, Resolution>} the current plan's, by difference id */
  let resolutions = new Map();
  /** @type {Map<string, (r: Resolution | undefined) => void>} the rows on screen, by difference id */
  const shown = new Map();
  const summary = planSummary(w, (plan) => {
    resolutions = new Map(plan.resolutions.map((r) => [r.differenceId, r]));
    for (const [id, show] of shown) show(resolutions.get(id));
  });
  // Blocked: nothing but "leave" can be carried out. The blockers on a person's field are shown with it.
  const isBlocked = (/** @type {Difference} */ d) => d.allowed.length === 1;
  /** @type {Map<string, string[]>} */
  const reasons = new Map();
  for (const b of p.blockers) {
    if (!b.person || !b.field) continue;
    const key = `${b.person.humaId ?? ''}/${b.person.anstNr ?? ''}/${b.field}`;
    reasons.set(key, [...(reasons.get(key) ?? []), b.message]);
  }
  const blockersOf = (/** @type {Difference} */ d) => [
    ...(reasons.get(`${d.person.humaId ?? ''}/${d.person.anstNr ?? ''}/${d.field}`) ?? []),
    ...(reasons.get(`${d.person.humaId ?? ''}//${d.field}`) ?? []),
    ...(reasons.get(`/${d.person.anstNr ?? ''}/${d.field}`) ?? []),
  ];

  // Filters.
  const filters = { group: 'person', search: '', field: '', kind: '', suggestion: '', status: '' };
  const ORDER = fieldTable().map((f) => f.key);
  const fields = [...new Set(p.differences.map((d) => d.field))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const select = (/** @type {string} */ label, /** @type {keyof typeof filters} */ key, /** @type {[string, string][]} */ options) => {
    const id = uid('filter');
    const s = h('select', { id, onchange: () => { filters[key] = s.value; refresh(); } }, options.map(([v, t]) => h('option', { value: v }, t)));
    return h('div', { class: 'field inline' }, h('label', { for: id }, label), s);
  };
  const searchId = uid('search');
  const search = h('input', { id: searchId, type: 'search', placeholder: 'Name, e-mail or AnstNr', oninput: () => { filters.search = search.value.trim().toLowerCase(); refresh(); } });
  const groupName = uid('group');
  const groupSwitch = h('fieldset', { class: 'segmented' }, h('legend', {}, 'Group'),
    ['person', 'field'].map((g) => {
      const id = uid('g');
      return h('span', {}, h('input', { type: 'radio', name: groupName, id, value: g, checked: g === 'person', onchange: () => { filters.group = g; refresh(); } }), h('label', { for: id }, g === 'person' ? 'By person' : 'By field'));
    }));
  const toolbar = h('div', { class: 'toolbar', role: 'search', 'aria-label': 'Find differences' },
    groupSwitch,
    h('div', { class: 'field inline grow' }, h('label', { for: searchId }, 'Search'), search),
    select('Field', 'field', [['', 'All fields'], ...fields.map((f) => /** @type {[string, string]} */ ([f, fieldName(f)]))]),
    select('Kind', 'kind', [['', 'All kinds'], ['conflict', 'Conflicts'], ['missingInHuma', 'Missing in Huma'], ['missingInCrona', 'Missing in Crona']]),
    select('Suggestion', 'suggestion', [['', 'Any'], ['yes', 'With a suggestion'], ['no', 'Without a suggestion']]),
    select('Status', 'status', [['', 'All'], ['open', 'Can be decided'], ['blocked', 'Blocked']]),
  );

  // Bulk choice per field.
  const bulk = h('fieldset', { class: 'bulk' }, h('legend', {}, 'Choose per field'),
    h('p', { class: 'hint' }, 'A bulk choice applies to every difference of the field that you haven\'t decided one by one. It never clears a value.'),
    h('div', { class: 'bulk-grid' }, fields.map((f) => {
      const id = uid('bulk');
      const n = p.differences.filter((d) => d.field === f).length;
      const s = h('select', { id, onchange: () => {
        if (s.value) w.decisions.fieldDefaults[f] = /** @type {Choice} */ (s.value);
        else delete w.decisions.fieldDefaults[f];
        summary.now();
        refresh(true);
      } },
      h('option', { value: '' }, 'One by one'), h('option', { value: 'huma' }, 'Huma wins'), h('option', { value: 'crona' }, 'Crona wins'), h('option', { value: 'leave' }, 'Leave all'));
      s.value = w.decisions.fieldDefaults[f] ?? '';
      return h('div', { class: 'field' }, h('label', { for: id }, `${fieldLabel(f)} (${n})`), s);
    })));

  // The table: one row per difference, the grouping column first; a row that starts a new group
  // (person or field) is marked, so the eye finds where the next one begins.
  const head = h('tr', { role: 'row' });
  const caption = h('caption', { class: 'sr-only' });
  let lastGroup = '';
  const rows = pager({ label: 'Differences', pageSize: 30, list: 'tbody', empty: 'No difference matches these filters.', beforePage: () => { lastGroup = ''; shown.clear(); },
    // Explicit roles: the phone layout's CSS (rows as blocks) must not take the table away from screen readers.
    frame: (body) => {
      body.setAttribute('role', 'rowgroup');
      return h('table', { class: 'diffs', role: 'table', 'aria-label': 'Differences' }, caption, h('thead', { role: 'rowgroup' }, head), body);
    },
    render: (/** @type {Difference} */ d) => {
      const key = filters.group === 'person' ? `${d.person.humaId}/${d.person.anstNr}` : d.field;
      const starts = key !== lastGroup;
      lastGroup = key;
      const r = row(d, w, { group: filters.group, starts, blocked: isBlocked(d), blockers: blockersOf(d) }, () => summary.replan());
      r.show(resolutions.get(d.id));
      shown.set(d.id, r.show);
      return r.el;
    } });

  function filtered() {
    const f = filters;
    const list = p.differences.filter((d) =>
      (!f.field || d.field === f.field) && (!f.kind || d.kind === f.kind)
      && (!f.suggestion || (f.suggestion === 'yes') === Boolean(d.suggestion))
      && (!f.status || (f.status === 'blocked') === isBlocked(d))
      && (!f.search || `${d.person.name} ${d.person.email ?? ''} ${d.person.anstNr ?? ''}`.toLowerCase().includes(f.search)));
    if (f.group === 'field') list.sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field) || a.person.name.localeCompare(b.person.name, 'sv'));
    return list;
  }
  const found = h('p', { class: 'hint' });
  /** @param {boolean} [keepPage] */
  function refresh(keepPage = false) {
    lastGroup = '';
    const list = filtered();
    found.textContent = `${count(list.length, 'difference', 'differences')} shown of ${p.differences.length.toLocaleString('en-GB')}.`;
    caption.textContent = filters.group === 'person' ? 'Differences by person' : 'Differences by field';
    fill(head, ordered(filters.group, COLUMNS).map((c) => h('th', { scope: 'col', role: 'columnheader', class: `col-${c.key}` }, c.label)));
    rows.setItems(list, { keepPage });
  }
  refresh();

  const c = p.counts;
  return h('section', { class: 'card step step-conflicts' },
    h('h2', {}, 'Conflicts and missing values'),
    h('p', { class: 'lead' }, `${count(c.huma, 'person', 'people')} in Huma, ${count(c.crona, 'employee', 'employees')} in Crona Lön: ${c.matched.toLocaleString('en-GB')} matched by work e-mail or remembered, ${count(c.differences, 'difference', 'differences')}, ${count(c.blockers, 'blocker', 'blockers')}.`),
    p.differences.length ? [bulk, toolbar, found, h('p', { class: 'hint' }, 'The value that wins is written to the other system; "Leave as it is" writes nothing.'), rows.el] : h('p', { class: 'status status-ok' }, 'No differences: every matched person has the same values in both systems.'),
    blockersList(p.blockers),
    notices(p),
    summary.el,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'button', class: 'button primary', onclick: () => w.go(2) }, 'Next: create users'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => w.leave().then(() => w.nav.home(`sync-${w.connection.id}`)) }, 'Cancel')),
  );
}

/** The table's columns, by person; `ordered` puts the field first when grouped by field. */
const COLUMNS = /** @type {const} */ ([
  { key: 'person', label: 'Person' },
  { key: 'field', label: 'Field' },
  { key: 'huma', label: 'Huma' },
  { key: 'crona', label: 'Crona Lön' },
  { key: 'choice', label: 'Which value wins' },
]);

/** @template T @param {string} group @param {readonly T[]} cells  in COLUMNS' order @returns {T[]} */
function ordered(group, cells) {
  const [person, field, ...rest] = cells;
  return group === 'field' ? [field, person, ...rest] : [...cells];
}

/**
 * One difference as a table row: who, which field, both values with the differing part marked,
 * the choice with the suggestion and why, and the notes; `show` sets the choice and its note to
 * the plan's resolution.
 * @param {Difference} d @param {import('./wizard.js').Wizard} w
 * @param {{ group: string, starts: boolean, blocked: boolean, blockers: string[] }} o
 * @param {() => void} changed
 */
function row(d, w, o, changed) {
  const name = `choice-${d.id}`;
  const noteEl = h('p', { class: 'note' });
  const marks = differing(d.field, d.huma, d.crona);
  const value = (/** @type {import('./marks.js').Segment[]} */ segments) => (segments.length
    ? h('span', { class: 'value' }, segments.map((s) => (s.marked ? h('mark', {}, s.text) : s.text)))
    : h('span', { class: 'value empty' }, 'empty'));
  /** @type {Map<Choice, HTMLInputElement>} */
  const radios = new Map();
  const who = [d.person.email, d.person.anstNr ? `AnstNr ${d.person.anstNr}` : null].filter(Boolean).join(' · ');
  const repeat = (/** @type {string} */ column) => (!o.starts && o.group === column ? ' repeat' : '');
  const person = h('th', { scope: 'row', role: 'rowheader', class: `col-person${repeat('person')}`, 'data-label': 'Person' },
    h('span', { class: 'who' }, d.person.name), who ? h('span', { class: 'sub' }, who) : null);
  const field = h('td', { role: 'cell', class: `col-field${repeat('field')}`, 'data-label': 'Field' },
    h('span', { class: 'field-name' }, fieldName(d.field)), ' ', h('span', { class: `kind kind-${d.kind}` }, KIND_TEXT[d.kind]));
  const choices = h('div', { class: 'choices', role: 'radiogroup', 'aria-label': `Which value wins for ${d.person.name}'s ${fieldLabel(d.field).toLowerCase()}` },
    /** @type {Choice[]} */ (['huma', 'crona', 'leave']).map((choice) => {
      const id = uid('c');
      const allowed = d.allowed.includes(choice);
      const radio = /** @type {HTMLInputElement} */ (h('input', { type: 'radio', id, name, value: choice, disabled: !allowed, onchange: () => {
        w.decisions.choices[d.id] = choice;
        changed();
      } }));
      radios.set(choice, radio);
      return h('span', { class: `choice${allowed ? '' : ' disabled'}` }, radio,
        h('label', { for: id }, CHOICE_TEXT[choice], d.suggestion === choice ? h('span', { class: 'badge badge-suggested' }, 'Suggested') : null));
    }));
  // Why the suggestion: the side that changed since the last sync, or else the difference in the core's words.
  const why = d.changedSince ? h('p', { class: 'changed' }, CHANGED_TEXT[d.changedSince]) : d.suggestion ? h('p', { class: 'message', title: d.message }, d.message) : null;
  const notes = d.notes.length || o.blockers.length
    ? h('ul', { class: 'notes' }, o.blockers.map((m) => h('li', { class: 'blocker' }, m)), d.notes.map((n) => h('li', {}, n.message)))
    : null;
  const el = h('tr', { role: 'row', class: `diff${o.blocked ? ' blocked' : ''}${o.starts ? ' group-start' : ''}` },
    ordered(o.group, [person, field,
      h('td', { role: 'cell', class: 'col-huma', 'data-label': 'Huma' }, value(marks.huma)),
      h('td', { role: 'cell', class: 'col-crona', 'data-label': 'Crona Lön' }, value(marks.crona)),
      h('td', { role: 'cell', class: 'col-choice', 'data-label': 'Which value wins' }, choices, why, notes, noteEl)]));
  /** @param {Resolution | undefined} r */
  const show = (r) => {
    for (const [choice, radio] of radios) radio.checked = r?.choice === choice;
    noteEl.textContent = r?.note?.message ?? '';
  };
  return { el, show };
}

/** @param {import('../../../pkg/index.js').Blocker[]} blockers */
function blockersList(blockers) {
  if (!blockers.length) return null;
  const list = pager({ label: 'Blockers', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Blocker} */ b) => h('li', {}, h('strong', {}, b.person?.name ?? 'Everyone'), b.field ? ` · ${fieldName(b.field)}` : '', `: ${b.message}`) });
  list.setItems(blockers);
  return h('details', { class: 'blockers', open: blockers.length <= 20 },
    h('summary', {}, `Blockers: never written until fixed (${blockers.length.toLocaleString('en-GB')})`), list.el);
}

/** @param {import('../../../pkg/index.js').Preview} p */
function notices(p) {
  const parts = [];
  if (p.willSet.length) {
    const list = pager({ label: 'Position values', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Preview['willSet'][number]} */ s) => h('li', {}, `${s.person.name}: ${fieldName(s.field)} ← ${s.value === null ? 'empty' : String(s.value)} (${s.source})`) });
    list.setItems(p.willSet);
    parts.push(h('details', {}, h('summary', {}, `Employment dates and titles sent to Crona (${p.willSet.length})`), list.el));
  }
  if (p.notices.length) {
    const list = pager({ label: 'Notes', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Blocker} */ n) => h('li', {}, n.message) });
    list.setItems(p.notices);
    parts.push(h('details', {}, h('summary', {}, `Notes (${p.notices.length})`), list.el));
  }
  return parts;
}

