// Step 5: run the approved plan (by its hash) with a progress bar of done and failed writes, then
// finish the run in the service: the report and errors recorded, the next state saved over the
// version the run started from. Cancelling stops sending; what was written stays written, and
// the next sync shows it.
import { drive } from '../../../pkg/web.js';
import { fill, h } from '../dom.js';
import { message } from '../format.js';
import { progressBar } from '../progress.js';

/** @param {import('./wizard.js').Wizard} w */
export function runStep(w) {
  const plan = /** @type {import('../../../pkg/index.js').Plan} */ (w.plan);
  const run = /** @type {import('../service-run.js').ServiceRun} */ (w.run);
  const bar = progressBar('Writing');
  const abort = new AbortController();
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => abort.abort() }, 'Cancel');
  const outcome = h('div');
  const total = plan.operations.length;
  const el = h('section', { class: 'card step' }, h('h2', {}, 'Running the plan'), bar.el, outcome, h('div', { class: 'actions' }, cancel));
  bar.set(0, total ? `0 of ${total} operations` : 'Nothing to write.');
  if (w.lost.aborted || run.finished) {
    // The lease went to someone else before anything was sent: nothing is written.
    fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, 'Nothing was written: this sync no longer holds the connection. Run "Synchronize users" again when the other run has finished.'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: () => w.leave().then(() => w.nav.home(`sync-${w.connection.id}`)) }, 'Back to connections')));
    cancel.remove();
    bar.set(0, 'Not started.');
    return el;
  }
  w.running = true;
  run.ifLeft = { outcome: 'stopped', summary: 'Left while the plan was running (the page was closed, or its administrator signed out): some writes may have been made. Run "Synchronize users" again to see where things stand.' };
  let writes = 0;
  let failed = 0;
  (async () => {
    try {
      w.session.apply(plan.hash, { allowMassChange: w.allowMassChange });
      await drive(w.session, /** @type {NonNullable<typeof w.transports>} */ (w.transports), {
        concurrency: 6,
        signal: AbortSignal.any([abort.signal, w.lost]),
        onProgress: (p) => {
          // The reads that check the result come after the writes: count only the writes.
          if (w.session.phase === 'applying') [writes, failed] = [Math.min(total, p.done), p.failed];
          bar.set(total ? writes / total : 1, w.session.phase === 'applying'
            ? `${writes} of ${total} operations · ${writes - failed} done · ${failed} failed`
            : `${total} operations sent, ${failed} failed: checking the result…`);
        },
      });
      const report = w.session.report();
      w.report = report;
      bar.set(1, 'Recording the run…');
      try {
        await run.finish({ outcome: report.errors.length ? 'failed' : 'done', summary: report.summary.text, report, errors: report.errors, nextState: report.nextState });
      } catch (error) {
        w.notSaved = error;
      }
      w.running = false;
      w.go(5);
    } catch (error) {
      w.running = false;
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      const cancelled = abort.signal.aborted;
      const said = cancelled
        ? 'Cancelled. The writes already made stay; run "Synchronize users" again to see where things stand.'
        : `The run stopped: ${w.lost.aborted ? 'this sync no longer holds the connection' : message(error).replace(/\.$/, '')}. The writes already made stay; run "Synchronize users" again to see where things stand.`;
      w.leave(cancelled
        ? { outcome: 'cancelled', summary: 'Cancelled while writing: some writes may have been made. Run "Synchronize users" again to see where things stand.' }
        : { outcome: 'stopped', summary: said, errors: [{ code: /** @type {any} */ (error)?.code ?? 'stopped', message: said }] });
      cancel.remove();
      fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, said),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: () => w.leave().then(() => w.nav.home(`sync-${w.connection.id}`)) }, 'Back to connections')));
      /** @type {HTMLElement} */ (outcome.querySelector('button')).focus();
    }
  })();
  return el;
}
