// The plan in words, kept current as decisions change: re-planning is pure and cheap in the core,
// so it runs after each change (gathered over a short pause while someone clicks through). Each
// new plan also goes to `planned`, so what is shown per difference is the core's resolution. The
// core answers from its worker: a plan that comes back after a newer one was asked for is dropped.
import { fill, h } from '../dom.js';
import { message } from '../format.js';

/**
 * @param {import('./wizard.js').Wizard} w
 * @param {(plan: import('../../../pkg/index.js').Plan) => void} [planned]  called with each new plan
 */
export function planSummary(w, planned = () => {}) {
  const text = h('p', { class: 'plan-text', role: 'status', 'aria-live': 'polite' });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let asked = 0;
  const now = async () => {
    clearTimeout(timer);
    const mine = ++asked;
    try {
      const plan = await w.session.plan(w.decisions);
      if (mine !== asked) return;
      fill(text, `With these choices: ${plan.summary}`);
      text.classList.remove('error-text');
      planned(plan);
    } catch (error) {
      if (mine !== asked) return;
      fill(text, `These choices can't be planned: ${message(error)}`);
      text.classList.add('error-text');
    }
  };
  now();
  return {
    el: h('div', { class: 'plan-summary' }, text),
    /** Re-plans at once. */
    now,
    /** Re-plans after a short pause. */
    replan() {
      clearTimeout(timer);
      timer = setTimeout(now, 120);
    },
  };
}
