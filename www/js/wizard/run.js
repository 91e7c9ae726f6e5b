// Step 5: run the approved plan (by its hash) with a progress bar of done and failed writes.
// Cancelling stops sending; what was written stays written, and the next sync shows it.
import { drive } from '../../../pkg/web.js';
import { fill, h } from '../dom.js';
import { message } from '../format.js';
import { progressBar } from '../progress.js';
import { recordRun } from '../store.js';

/** @param {import('./wizard.js').Wizard} w */
export function runStep(w) {
  const plan = /** @type {import('../../../pkg/index.js').Plan} */ (w.plan);
  const bar = progressBar('Writing');
  const abort = new AbortController();
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => abort.abort() }, 'Cancel');
  const outcome = h('div');
  const total = plan.operations.length;
  const el = h('section', { class: 'card step' }, h('h2', {}, 'Running the plan'), bar.el, outcome, h('div', { class: 'actions' }, cancel));
  bar.set(0, total ? `0 of ${total} operations` : 'Nothing to write.');
  w.running = true;
  let writes = 0;
  let failed = 0;
  (async () => {
    try {
      w.session.apply(plan.hash, { allowMassChange: w.allowMassChange });
      await drive(w.session, w.transports, {
        concurrency: 6,
        signal: abort.signal,
        onProgress: (p) => {
          // The reads that check the result come after the writes: count only the writes.
          if (w.session.phase === 'applying') [writes, failed] = [Math.min(total, p.done), p.failed];
          bar.set(total ? writes / total : 1, w.session.phase === 'applying'
            ? `${writes} of ${total} operations · ${writes - failed} done · ${failed} failed`
            : `${total} operations sent, ${failed} failed: checking the result…`);
        },
      });
      w.running = false;
      w.report = w.session.report();
      w.go(5);
    } catch (error) {
      w.running = false;
      const cancelled = abort.signal.aborted;
      recordRun(w.connection.id, { at: new Date().toISOString(), kind: 'sync', ok: false, errors: [], outcome: cancelled ? 'Cancelled while writing: some writes may have been made; run Synchronize users again to see where things stand.' : `Stopped: ${message(error)}` });
      cancel.remove();
      fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, cancelled
        ? 'Cancelled. The writes already made stay; run "Synchronize users" again to see where things stand.'
        : `The run stopped: ${message(error)}`),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: () => { w.free(); w.nav.home(`sync-${w.connection.id}`); } }, 'Back to connections')));
      /** @type {HTMLElement} */ (outcome.querySelector('button')).focus();
    }
  })();
  return el;
}
