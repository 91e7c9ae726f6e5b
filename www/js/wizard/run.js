// Step 5: run the approved plan (by its hash) with a progress bar of done and failed writes, then
// finish the run in the service: the report and errors recorded, the next state saved over the
// version the run started from. Cancel asks first, then stops sending: the writes already sent
// are waited for and counted, everyone touched is read back, and the result step shows what was
// written and what was not run, as after a whole run; the run is recorded as cancelled with its
// report and next state, so the connection is active and the next sync goes on from there.
import { elapsedText, timeLeft } from '../../../pkg/lib/fetch-progress.js';
import { ask } from '../confirm.js';
import { fill, h } from '../dom.js';
import { count, message } from '../format.js';
import { progressBar } from '../progress.js';

/** @param {import('./wizard.js').Wizard} w */
export function runStep(w) {
  const plan = /** @type {import('../../../pkg/index.js').Plan} */ (w.plan);
  const run = /** @type {import('../service-run.js').ServiceRun} */ (w.run);
  const bar = progressBar('Writing');
  const stop = new AbortController();
  /** Aborted when the run is over: a question about stopping it no longer stands. */
  const over = new AbortController();
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => w.requestStop?.() }, 'Cancel');
  const stopping = h('p', { class: 'status', role: 'status' });
  const outcome = h('div');
  const total = plan.operations.length;
  const el = h('section', { class: 'card step' }, h('h2', {}, 'Running the plan'), bar.el, stopping, outcome, h('div', { class: 'actions' }, cancel));
  stopping.hidden = true;
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
  let inflight = 0;
  const showStopping = () => {
    stopping.hidden = false;
    stopping.textContent = w.session.phase === 'applying' && inflight > 0
      ? `Stopping: waiting for ${count(inflight, 'write', 'writes')} already sent…`
      : 'Stopped sending: checking what was written…';
  };
  w.requestStop = async () => {
    if (stop.signal.aborted || !w.running) return;
    const yes = await ask({
      title: 'Stop the run?',
      text: 'No more writes are sent. The writes already sent are waited for and counted, and the result shows what was written and what was not run. The next "Synchronize users" goes on from there.',
      yes: 'Stop the run',
      no: 'Keep running',
      until: over.signal,
    });
    if (!yes || stop.signal.aborted || !w.running) return;
    stop.abort();
    cancel.disabled = true;
    showStopping();
  };
  (async () => {
    try {
      await w.session.apply(plan.hash, { allowMassChange: w.allowMassChange });
      const started = Date.now();
      await w.session.drive({
        signal: w.lost,
        stop: stop.signal,
        onProgress: (p) => {
          inflight = p.inflight;
          // The reads that check the result come after the writes: count only the writes.
          if (w.session.phase === 'applying') [writes, failed] = [Math.min(total, p.done), p.failed];
          const ms = Date.now() - started;
          const left = timeLeft(total ? writes / total : null, ms);
          bar.set(total ? writes / total : 1, w.session.phase === 'applying'
            ? `${writes} of ${total} operations · ${writes - failed} done · ${failed} failed · ${elapsedText(ms)} so far${left ? `, ${left}` : ''}`
            : `${writes} of ${total} operations sent, ${failed} failed: checking the result…`);
          if (stop.signal.aborted) showStopping();
        },
      });
      const report = await w.session.report();
      w.report = report;
      bar.set(1, 'Recording the run…');
      try {
        await run.finish(report.stopped
          ? { outcome: 'cancelled', summary: `Cancelled while writing: ${report.summary.text}` }
          : { outcome: report.errors.length ? 'failed' : 'done', summary: report.summary.text }, w.session);
      } catch (error) {
        w.notSaved = error;
      }
      w.running = false;
      over.abort();
      w.go(5);
    } catch (error) {
      w.running = false;
      over.abort();
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      const said = `The run stopped: ${w.lost.aborted ? 'this sync no longer holds the connection' : message(error).replace(/\.$/, '')}. The writes already made stay; run "Synchronize users" again to see where things stand.`;
      w.leave({ outcome: 'stopped', summary: said, errors: [{ code: /** @type {any} */ (error)?.code ?? 'stopped', message: said }] });
      cancel.remove();
      stopping.hidden = true;
      fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, said),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: () => w.leave().then(() => w.nav.home(`sync-${w.connection.id}`)) }, 'Back to connections')));
      /** @type {HTMLElement} */ (outcome.querySelector('button')).focus();
    }
  })();
  return el;
}
