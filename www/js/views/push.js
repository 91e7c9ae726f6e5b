// "Push changes now": what the webhooks would do, on demand. A run in the service (which takes the
// connection's lease) reads every paired Huma user and sends what is safe unattended (Huma →
// Crona, what changed in Huma, never clearing, never a Crona change overwritten); the rest waits
// for "Synchronize users". Every way out finishes the run, so the lease goes back.
import { fetchShare } from '../../../pkg/lib/fetch-progress.js';
import { announce, fill, focusHeading, h } from '../dom.js';
import { count, message, today } from '../format.js';
import { fieldName } from '../../../pkg/lib/words.js';
import { pager } from '../pager.js';
import { progressBar } from '../progress.js';
import { startRun } from '../service-run.js';
import { RemoteSession } from '../session-client.js';
import { whyStopped } from '../wizard/fetching.js';
import { confirmPush } from './push-preview.js';
import { reportWrites } from '../../../pkg/lib/writes.js';
import { writesTable } from '../writes-table.js';

/** @typedef {import('../../app.js').Nav} Nav */

/** @param {HTMLElement} root @param {Nav} nav @param {import('../api.js').Connection} c */
export function showPush(root, nav, c) {
  const bar = progressBar('Pushing');
  const lead = h('p', {}, 'Sends what changed in Huma for the paired people to Crona Lön: only Huma → Crona, never clearing a value and never overwriting a change made in Crona. Those wait for "Synchronize users".');
  const area = h('div');
  const abort = new AbortController();
  /** @type {import('../service-run.js').ServiceRun | null} */
  let run = null;
  let left = false;
  /** The run's finish, when it was ended here: the list waits for it, so it shows the lease gone. */
  let ended = Promise.resolve();
  const back = () => ended.then(() => nav.home(`sync-${c.id}`));
  const leave = () => {
    left = true;
    abort.abort();
    if (run) ended = run.end({ outcome: 'stopped', summary: 'Left while pushing: some writes may have been made. The next push or sync shows where things stand.' });
    back();
  };
  fill(root, h('section', { class: 'view', 'aria-labelledby': 'push-heading' },
    h('p', { class: 'crumb' }, h('button', { type: 'button', class: 'link', onclick: leave }, '‹ Connections'), ` / ${c.name}`),
    h('div', { class: 'card step' }, h('h2', { id: 'push-heading' }, 'Push changes now'), lead, bar.el, area)));
  focusHeading(root);
  bar.set(null, 'Checking the credentials…');
  (async () => {
    /** @type {RemoteSession | null} */
    let session = null;
    try {
      const lost = new AbortController();
      run = await startRun(c.id, 'push', (error) => lost.abort(error));
      if (left) return run.end({ outcome: 'cancelled', summary: 'Left before anything was written.' });
      run.ifLeft = { outcome: 'stopped', summary: 'Left during the push (the page was closed, or its administrator signed out): some writes may have been made. The next push or sync shows where things stand.' };
      const ids = [...new Set((run.state?.pairs ?? []).map((/** @type {{ humaId: string }} */ p) => p.humaId))];
      fill(lead, `Sends what changed in Huma for the ${count(ids.length, 'paired person', 'paired people')} to Crona Lön: only Huma → Crona, never clearing a value and never overwriting a change made in Crona. Those wait for "Synchronize users".`);
      const signal = AbortSignal.any([abort.signal, lost.signal]);
      session = await RemoteSession.start({ today: today(), now: new Date().toISOString(), state: run.state, mode: 'push', humaUserIds: ids, options: { baselineKey: run.baselineKey } }, run.relay);
      const s = session;
      await s.drive({ signal, onProgress: ({ fetch: p }) => bar.set(fetchShare(p), `Reading: ${p.humaDone} of ${count(p.humaTotal ?? ids.length, 'person', 'people')}`) });
      const plan = await s.plan({});
      if (plan.needsMassChangeApproval) {
        throw new Error(`this push would change ${count(new Set(plan.operations.map((o) => o.person.humaId)).size, 'person', 'people')} at once. Use "Synchronize users", which shows every change before anything is written`);
      }
      if (plan.operations.length) {
        bar.set(null, `Read ${count(ids.length, 'person', 'people')}: waiting for your go-ahead.`);
        if (!(await confirmPush(area, plan, signal))) {
          if (left) return;
          ended = run.end({ outcome: 'cancelled', summary: 'Cancelled after the preview: nothing was written.' });
          bar.set(0, 'Cancelled.');
          fill(area, h('p', { class: 'status', role: 'status' }, 'Cancelled: nothing was written.'),
            h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: back }, 'Back to connections')));
          /** @type {HTMLElement} */ (area.querySelector('button')).focus();
          return;
        }
        fill(area);
      }
      await s.apply(plan.hash, { allowMassChange: false });
      await s.drive({ signal, onProgress: (p) => bar.set(plan.operations.length ? Math.min(1, p.done / plan.operations.length) : 1, `${Math.min(p.done, plan.operations.length)} of ${plan.operations.length} writes`) });
      const report = await s.report();
      /** @type {string | null} */
      let notSaved = null;
      try {
        await run.finish({ outcome: report.errors.length ? 'failed' : 'done', summary: report.summary.text, report, errors: report.errors, nextState: report.nextState });
      } catch (error) {
        notSaved = /** @type {any} */ (error)?.code === 'state_conflict'
          ? 'The writes are done and this push is recorded, but its sync state wasn\'t saved: another run saved a newer state meanwhile. Run "Synchronize users" before the next push.'
          : `The writes are done, but the integration service couldn't record this push (${message(error)}): its state wasn't saved. The next push or sync shows where things stand.`;
      }
      if (left) return;
      bar.set(1, 'Done.');
      announce(report.summary.text);
      const waiting = pager({ label: 'Waiting for a sync', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Report['remaining'][number]} */ r) => h('li', {}, `${r.difference.person.name} · ${fieldName(r.difference.field)}: ${r.explanation}`) });
      waiting.setItems(report.remaining);
      fill(area, h('p', { class: `status ${report.errors.length ? 'status-error' : 'status-ok'}`, role: 'status' }, report.summary.text),
        notSaved ? h('p', { class: 'status status-error', role: 'alert' }, notSaved) : null,
        report.outcomes.length ? h('h3', {}, 'Sent') : null,
        report.outcomes.length ? writesTable(reportWrites(report), { label: 'Sent', outcomes: true }) : null,
        report.remaining.length ? h('details', {}, h('summary', {}, `Not pushed (${report.remaining.length})`), waiting.el) : null,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: back }, 'Back to connections')));
    } catch (error) {
      if (left || /** @type {any} */ (error)?.code === 'signed_out') return;
      const said = `The push didn't run: ${whyStopped(error)}`;
      if (run) ended = run.end({ outcome: 'stopped', summary: said, errors: [{ code: /** @type {any} */ (error)?.code ?? 'stopped', message: said }] });
      bar.set(0, 'Stopped.');
      fill(area, h('p', { class: 'status status-error', role: 'alert' }, said),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: back }, 'Back to connections')));
    } finally {
      session?.free();
    }
    /** @type {HTMLElement | null} */ (area.querySelector('button'))?.focus();
  })();
}
