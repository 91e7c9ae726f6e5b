// The plan in words, kept current as decisions change: re-planning is pure and cheap in the core,
// so it runs after each change (gathered over a short pause while someone clicks through).
import { fill, h } from '../dom.js';
import { message } from '../format.js';

/** @param {import('./wizard.js').Wizard} w */
export function planSummary(w) {
  const text = h('p', { class: 'plan-text', role: 'status', 'aria-live': 'polite' });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const now = () => {
    try {
      fill(text, `With these choices: ${w.session.plan(w.decisions).summary}`);
      text.classList.remove('error-text');
    } catch (error) {
      fill(text, `These choices can't be planned: ${message(error)}`);
      text.classList.add('error-text');
    }
  };
  now();
  return {
    el: h('div', { class: 'plan-summary' }, text),
    replan() {
      clearTimeout(timer);
      timer = setTimeout(now, 120);
    },
  };
}
