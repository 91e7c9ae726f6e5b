// A labelled progress bar with a line of counts under it. The counts change many times a second,
// so they are not a live region: the steps announce their start and end instead.
import { h } from './dom.js';

/** @param {string} label */
export function progressBar(label) {
  const bar = h('progress', { max: 100, 'aria-label': label });
  const text = h('p', { class: 'progress-text' });
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
