// A labelled input with its hint and its error line, tied together for assistive technology.
import { h, uid } from './dom.js';

/**
 * @param {string} label @param {import('./dom.js').Attrs} attrs @param {string} [hint]
 */
export function field(label, attrs, hint) {
  const id = uid('f');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', { id, 'aria-describedby': `${hint ? hintId : ''} ${errorId}`.trim(), ...attrs });
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
 * Marks the empty required fields; returns the first one to focus, or null.
 * @param {ReturnType<typeof field>[]} fields
 */
export function firstMissing(fields) {
  let first = /** @type {HTMLInputElement | null} */ (null);
  for (const f of fields) {
    const missing = !f.input.value.trim();
    f.invalid(missing ? 'Required.' : '');
    if (missing && !first) first = f.input;
  }
  return first;
}
