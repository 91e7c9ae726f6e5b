// A labelled input (or text area) with its hint and its error line, tied together for assistive
// technology.
import { h, uid } from './dom.js';

/**
 * @template {HTMLInputElement | HTMLTextAreaElement} T
 * @param {string} label @param {(id: string, describedBy: string) => T} control @param {string} [hint]
 */
function labelled(label, control, hint) {
  const id = uid('f');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = control(id, `${hint ? hintId : ''} ${errorId}`.trim());
  const error = h('p', { id: errorId, class: 'field-error' });
  const hintEl = hint ? h('p', { id: hintId, class: 'hint' }, hint) : null;
  return {
    input,
    error,
    el: h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl, error),
    /** Shows or clears the field's error. @param {string} text */
    invalid(text) {
      error.textContent = text;
      input.setAttribute('aria-invalid', String(Boolean(text)));
    },
  };
}

/**
 * @param {string} label @param {import('./dom.js').Attrs} attrs @param {string} [hint]
 */
export function field(label, attrs, hint) {
  return labelled(label, (id, describedBy) => h('input', { id, 'aria-describedby': describedBy, ...attrs }), hint);
}

/**
 * A text area, filled with `value`. @param {string} label @param {string} value
 * @param {import('./dom.js').Attrs} attrs @param {string} [hint]
 */
export function area(label, value, attrs, hint) {
  return labelled(label, (id, describedBy) => {
    const el = h('textarea', { id, 'aria-describedby': describedBy, ...attrs });
    el.value = value;
    return el;
  }, hint);
}

/**
 * Marks the empty required fields; returns the first one to focus, or null.
 * @param {{ input: HTMLInputElement | HTMLTextAreaElement, invalid: (text: string) => void }[]} fields
 */
export function firstMissing(fields) {
  let first = /** @type {HTMLInputElement | HTMLTextAreaElement | null} */ (null);
  for (const f of fields) {
    const missing = !f.input.value.trim();
    f.invalid(missing ? 'Required.' : '');
    if (missing && !first) first = f.input;
  }
  return first;
}
