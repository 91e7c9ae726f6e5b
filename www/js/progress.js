// A labelled progress bar with a line of counts under it, announced politely.
import { h } from './dom.js';

/** @param {string} label */
export function progressBar(label) {
  const bar = h('progress', { max: 100, 'aria-label': label });
  const text = h('p', { class: 'progress-text', role: 'status', 'aria-live': 'polite' });
  return {
    el: h('div', { class: 'progress' }, bar, text),
    /** @param {number | null} fraction  null: not known yet @param {string} line */
    set(fraction, line) {
      if (fraction === null) bar.removeAttribute('value');
      else bar.value = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      text.textContent = line;
    },
  };
}
