// Step 2: the conflicts and missing values. Grouped by person or by field, searchable and
// filterable, a choice per difference and a bulk choice per field, suggestions pre-selected and
// marked, blockers with their reasons. Every change re-plans in the core; the plan's summary is
// shown (and announced) as it changes. Only one page of rows is ever in the DOM.
import { fields as fieldTable } from '../../../pkg/web.js';
import { fill, h, uid } from '../dom.js';
import { count, fieldLabel } from '../format.js';
import { pager } from '../pager.js';
import { planSummary } from './plan-summary.js';

/** @typedef {import('../../../pkg/index.js').Difference} Difference */
/** @typedef {import('../../../pkg/index.js').Choice} Choice */

const CHOICE_TEXT = { huma: 'Huma wins (write to Crona)', crona: 'Crona wins (write to Huma)', leave: 'Leave as it is' };
const KIND_TEXT = { conflict: 'Conflict', missingInHuma: 'Missing in Huma', missingInCrona: 'Missing in Crona' };
const CHANGED_TEXT = { huma: 'Changed in Huma since the last sync', crona: 'Changed in Crona since the last sync', both: 'Changed in both since the last sync' };

/**
 * What the plan does with a difference: the explicit choice, else the bulk choice (which never
 * clears: it falls back to the suggestion or leaves), else the suggestion, else leave.
 * @param {Difference} d @param {import('./wizard.js').Wizard['decisions']} decisions
 * @returns {{ choice: Choice, from: 'explicit' | 'bulk' | 'suggestion' | 'default', note?: string }}
 */
export function effective(d, decisions) {
  const explicit = decisions.choices[d.id];
  if (explicit) return { choice: explicit, from: 'explicit' };
  const clears = (/** @type {Choice} */ c) => wouldClear(d, c);
  const bulk = decisions.fieldDefaults[d.field];
  if (bulk && bulk !== 'leave' && clears(bulk)) {
    if (d.suggestion && !clears(d.suggestion) && d.allowed.includes(d.suggestion)) return { choice: d.suggestion, from: 'bulk', note: 'The bulk choice would clear a value: the empty side is filled instead.' };
    return { choice: 'leave', from: 'bulk', note: 'Left: a bulk choice never clears a value.' };
  }
  if (bulk && d.allowed.includes(bulk)) return { choice: bulk, from: 'bulk' };
  if (bulk) return { choice: 'leave', from: 'bulk', note: 'The bulk choice can\'t be carried out here.' };
  if (d.suggestion) return { choice: d.suggestion, from: 'suggestion' };
  return { choice: 'leave', from: 'default' };
}

/**
 * True when this choice would clear a value on the other side: the core's rule (diff.rs
 * would_clear), including an address whose winning side lacks a part the other side has.
 * @param {Difference} d @param {Choice} c
 */
export function wouldClear(d, c) {
  if (c === 'leave') return false;
  if ((c === 'huma' && d.kind === 'missingInHuma') || (c === 'crona' && d.kind === 'missingInCrona')) return true;
  if (d.field !== 'address' || d.kind !== 'conflict' || !d.huma || !d.crona) return false;
  const [win, other] = c === 'huma' ? [d.huma, d.crona] : [d.crona, d.huma];
  const theirs = other.normalized.split(' | ');
  return win.normalized.split(' | ').some((part, i) => part === '' && (theirs[i] ?? '') !== '');
}

/** @param {import('./wizard.js').Wizard} w */
export function conflictsStep(w) {
  const p = /** @type {import('../../../pkg/index.js').Preview} */ (w.preview);
  const summary = planSummary(w);
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
    select('Field', 'field', [['', 'All fields'], ...fields.map((f) => /** @type {[string, string]} */ ([f, fieldLabel(f)]))]),
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
        refresh(true);
      } },
      h('option', { value: '' }, 'One by one'), h('option', { value: 'huma' }, 'Huma wins'), h('option', { value: 'crona' }, 'Crona wins'), h('option', { value: 'leave' }, 'Leave all'));
      s.value = w.decisions.fieldDefaults[f] ?? '';
      return h('div', { class: 'field' }, h('label', { for: id }, `${fieldLabel(f)} (${n})`), s);
    })));

  let lastGroup = '';
  const rows = pager({ label: 'Differences', pageSize: 30, empty: 'No difference matches these filters.', beforePage: () => (lastGroup = ''), render: (/** @type {Difference} */ d) => {
    const key = filters.group === 'person' ? `${d.person.humaId}/${d.person.anstNr}` : d.field;
    const heading = key !== lastGroup ? (filters.group === 'person' ? personHeading(d) : h('h3', { class: 'group-head' }, fieldLabel(d.field))) : null;
    lastGroup = key;
    return h('li', { class: 'diff-item' }, heading, row(d, w, isBlocked(d), blockersOf(d), () => summary.replan()));
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
    rows.setItems(list, { keepPage });
    if (keepPage) summary.replan();
  }
  refresh();

  const c = p.counts;
  return h('section', { class: 'card step' },
    h('h2', {}, 'Conflicts and missing values'),
    h('p', { class: 'lead' }, `${count(c.huma, 'person', 'people')} in Huma, ${count(c.crona, 'employee', 'employees')} in Crona Lön: ${c.matched.toLocaleString('en-GB')} matched by work e-mail or remembered, ${count(c.differences, 'difference', 'differences')}, ${count(c.blockers, 'blocker', 'blockers')}.`),
    p.differences.length ? [bulk, toolbar, found, rows.el] : h('p', { class: 'status status-ok' }, 'No differences: every matched person has the same values in both systems.'),
    blockersList(p.blockers),
    notices(p),
    summary.el,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'button', class: 'button primary', onclick: () => w.go(2) }, 'Next: create users'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => w.leave().then(() => w.nav.home(`sync-${w.connection.id}`)) }, 'Cancel')),
  );
}

/** @param {Difference} d */
function personHeading(d) {
  const who = [d.person.email, d.person.anstNr ? `AnstNr ${d.person.anstNr}` : null].filter(Boolean).join(' · ');
  return h('h3', { class: 'group-head' }, d.person.name, who ? h('span', { class: 'muted' }, ` ${who}`) : null);
}

/**
 * One difference: both values, what changed, notes, and the choice.
 * @param {Difference} d @param {import('./wizard.js').Wizard} w @param {boolean} blocked @param {string[]} blockers
 * @param {() => void} changed
 */
function row(d, w, blocked, blockers, changed) {
  const now = effective(d, w.decisions);
  const name = `choice-${d.id}`;
  const noteEl = h('p', { class: 'note' }, now.note ?? '');
  const value = (/** @type {import('../../../pkg/index.js').FieldValue | null} */ v) => (v ? h('span', { class: 'value' }, v.display) : h('span', { class: 'value empty' }, 'empty'));
  return h('fieldset', { class: `diff${blocked ? ' blocked' : ''}` },
    h('legend', {}, h('span', { class: 'sr-only' }, `${d.person.name}: `), fieldLabel(d.field), ' ', h('span', { class: `kind kind-${d.kind}` }, KIND_TEXT[d.kind])),
    h('dl', { class: 'values' }, h('dt', {}, 'Huma'), h('dd', {}, value(d.huma)), h('dt', {}, 'Crona'), h('dd', {}, value(d.crona))),
    d.changedSince ? h('p', { class: 'changed' }, CHANGED_TEXT[d.changedSince]) : null,
    h('p', { class: 'message' }, d.message),
    d.notes.length || blockers.length ? h('ul', { class: 'notes' }, blockers.map((m) => h('li', { class: 'blocker' }, m)), d.notes.map((n) => h('li', {}, n.message))) : null,
    h('div', { class: 'choices', role: 'radiogroup', 'aria-label': `Which value wins for ${d.person.name}'s ${fieldLabel(d.field).toLowerCase()}` },
      /** @type {Choice[]} */ (['huma', 'crona', 'leave']).map((choice) => {
        const id = uid('c');
        const allowed = d.allowed.includes(choice);
        return h('span', { class: `choice${allowed ? '' : ' disabled'}` },
          h('input', { type: 'radio', id, name, value: choice, disabled: !allowed, checked: now.choice === choice, onchange: () => {
            w.decisions.choices[d.id] = choice;
            noteEl.textContent = wouldClear(d, choice) ? 'This clears the other system\'s value: only because you chose it here.' : '';
            changed();
          } }),
          h('label', { for: id }, CHOICE_TEXT[choice], d.suggestion === choice ? h('span', { class: 'badge badge-suggested' }, 'Suggested') : null));
      })),
    noteEl,
  );
}

/** @param {import('../../../pkg/index.js').Blocker[]} blockers */
function blockersList(blockers) {
  if (!blockers.length) return null;
  const list = pager({ label: 'Blockers', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Blocker} */ b) => h('li', {}, h('strong', {}, b.person?.name ?? 'Everyone'), b.field ? ` · ${fieldLabel(b.field)}` : '', `: ${b.message}`) });
  list.setItems(blockers);
  return h('details', { class: 'blockers', open: blockers.length <= 20 },
    h('summary', {}, `Blockers: never written until fixed (${blockers.length.toLocaleString('en-GB')})`), list.el);
}

/** @param {import('../../../pkg/index.js').Preview} p */
function notices(p) {
  const parts = [];
  if (p.willSet.length) {
    const list = pager({ label: 'Position values', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Preview['willSet'][number]} */ s) => h('li', {}, `${s.person.name}: ${fieldLabel(s.field)} ← ${s.value === null ? 'empty' : String(s.value)} (${s.source})`) });
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

