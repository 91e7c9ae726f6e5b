// "Push changes now": what the webhooks would do, on demand. Reads every paired Huma user and
// sends what is safe unattended (Huma → Crona, what changed in Huma, never clearing, never a
// Crona change overwritten); the rest waits for "Synchronize users".
import { SyncSession, drive } from '../../../pkg/web.js';
import { announce, fill, focusHeading, h } from '../dom.js';
import { count, fieldLabel, message, today } from '../format.js';
import { checkIdentity } from '../identity.js';
import { pager } from '../pager.js';
import { progressBar } from '../progress.js';
import { connection, recordRun, rememberCompany, saveState, stateOf } from '../store.js';
import { transportsFor } from '../transports.js';

/** @typedef {import('../../app.js').Nav} Nav */

/** @param {HTMLElement} root @param {Nav} nav @param {string} id */
export function showPush(root, nav, id) {
  const c = connection(id);
  const t = c ? transportsFor(c) : null;
  if (!c || !t) return nav.edit(id);
  const state = stateOf(c.id);
  const ids = [...new Set((state?.pairs ?? []).map((p) => p.humaId))];
  const bar = progressBar('Pushing');
  const area = h('div');
  const back = () => nav.home(`sync-${c.id}`);
  fill(root, h('section', { class: 'view', 'aria-labelledby': 'push-heading' },
    h('p', { class: 'crumb' }, h('button', { type: 'button', class: 'link', onclick: back }, '‹ Connections'), ` / ${c.name}`),
    h('div', { class: 'card step' }, h('h2', { id: 'push-heading' }, 'Push changes now'),
      h('p', {}, `Sends what changed in Huma for the ${count(ids.length, 'paired person', 'paired people')} to Crona Lön: only Huma → Crona, never clearing a value and never overwriting a change made in Crona. Those wait for "Synchronize users".`),
      bar.el, area)));
  focusHeading(root);
  bar.set(null, 'Checking the credentials…');
  (async () => {
    let session;
    try {
      const { identity, company } = await checkIdentity(t, state);
      rememberCompany(c, company, identity);
      session = new SyncSession({ today: today(), now: new Date().toISOString(), state, mode: 'push', humaUserIds: ids });
      const s = session;
      await drive(s, t, { concurrency: 6, onProgress: () => { const p = s.progress(); bar.set(ids.length ? p.humaRead / ids.length : 1, `Reading: ${p.humaRead} of ${ids.length} people`); } });
      const plan = s.plan({});
      if (plan.needsMassChangeApproval) {
        throw new Error(`this push would change ${count(new Set(plan.operations.map((o) => o.person.humaId)).size, 'person', 'people')} at once. Use "Synchronize users", which shows every change before anything is written.`);
      }
      s.apply(plan.hash, { allowMassChange: false });
      await drive(s, t, { concurrency: 6, onProgress: (p) => bar.set(plan.operations.length ? Math.min(1, p.done / plan.operations.length) : 1, `${Math.min(p.done, plan.operations.length)} of ${plan.operations.length} writes`) });
      const report = s.report();
      saveState(c.id, { ...report.nextState, connection: identity });
      recordRun(c.id, { at: new Date().toISOString(), kind: 'push', ok: !report.errors.length, outcome: report.summary.text, errors: report.errors });
      bar.set(1, 'Done.');
      announce(report.summary.text);
      const left = pager({ label: 'Waiting for a sync', pageSize: 20, render: (/** @type {import('../../../pkg/index.js').Report['remaining'][number]} */ r) => h('li', {}, `${r.difference.person.name} · ${fieldLabel(r.difference.field)}: ${r.explanation}`) });
      left.setItems(report.remaining);
      fill(area, h('p', { class: `status ${report.errors.length ? 'status-error' : 'status-ok'}`, role: 'status' }, report.summary.text),
        report.errors.length ? h('ul', { class: 'errors' }, report.errors.map((e) => h('li', {}, `${e.person.name}: ${e.system} ${e.status ?? ''} ${e.message}`))) : null,
        report.remaining.length ? h('details', {}, h('summary', {}, `Not pushed (${report.remaining.length})`), left.el) : null,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: back }, 'Back to connections')));
    } catch (error) {
      recordRun(c.id, { at: new Date().toISOString(), kind: 'push', ok: false, errors: [], outcome: `Push failed: ${message(error)}` });
      bar.set(0, 'Stopped.');
      fill(area, h('p', { class: 'status status-error', role: 'alert' }, `The push didn't run: ${message(error)}`),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onclick: back }, 'Back to connections')));
    } finally {
      session?.free();
    }
    /** @type {HTMLElement | null} */ (area.querySelector('button'))?.focus();
  })();
}
