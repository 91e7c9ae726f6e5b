// Step 1: start a run in the service (it verifies both credentials against the state and takes
// the connection's lease), then read both registers through the relay with a progress bar and
// counts per system. The bar is the share of the requests the stated totals call for (the core's
// progress()), indeterminate until both systems stated theirs; the line under it gives each
// system's count of its total, the time so far and, once it can be told, the time left.
// Cancellable; an error says what failed, ends the run and offers a retry.
import { fetchLine, fetchShare } from '../../../pkg/lib/fetch-progress.js';
import { announce, fill, h } from '../dom.js';
import { message, today, when } from '../format.js';
import { progressBar } from '../progress.js';
import { startRun } from '../service-run.js';
import { RemoteSession } from '../session-client.js';
import { showWizard } from './wizard.js';

const SCOPE_KEYS = /** @type {const} */ ({ company: 'companies', location: 'locations', team: 'teams' });

/** Why a run couldn't start or read, in words. @param {unknown} error */
export function whyStopped(error) {
  const e = /** @type {any} */ (error);
  if (e?.code === 'locked' && e.details?.holder) return `${e.details.holder} is running on this connection (until ${when(e.details.expiresAt)} at the latest). Wait for it to finish, then try again.`;
  return message(error);
}

/** @param {import('./wizard.js').Wizard} w */
export function fetchStep(w) {
  const bar = progressBar('Reading Huma and Crona Lön');
  const abort = new AbortController();
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => abort.abort() }, 'Cancel');
  const outcome = h('div');
  const c = w.connection;
  const el = h('section', { class: 'card step' }, h('h2', {}, 'Reading both systems'),
    h('p', {}, `Fetching everyone in ${c.group ? c.group.name : 'Huma'} and every employee in ${c.crona.companyName || 'Crona Lön'}. Nothing is written.`),
    bar.el, outcome, h('div', { class: 'actions' }, cancel));
  bar.set(null, 'Checking the credentials…');
  (async () => {
    let started = false;
    try {
      const run = await startRun(c.id, 'sync', w.lose);
      if (!w.adopt(run)) return;
      started = true;
      abort.signal.throwIfAborted();
      const scope = c.group ? { [SCOPE_KEYS[c.group.type]]: [c.group.id] } : {};
      const session = await RemoteSession.start({ today: today(), now: new Date().toISOString(), state: run.state, scope, options: { baselineKey: run.baselineKey } }, run.relay);
      if (!w.keep(session)) return;
      const since = performance.now();
      /** @type {import('../../../pkg/index.js').FetchProgress | null} the core's, as the worker last sent it */
      let latest = null;
      const show = () => {
        if (latest) bar.set(fetchShare(latest), fetchLine(latest, performance.now() - since));
      };
      // The time so far goes on while an API is slow to answer.
      const ticking = setInterval(show, 1000);
      try {
        await session.drive({ signal: AbortSignal.any([abort.signal, w.lost]), onProgress: (p) => {
          latest = p.fetch;
          show();
        } });
      } finally {
        clearInterval(ticking);
      }
      performance.mark('crona-sync:fetched'); // npm run bench measures from here to the conflicts table
      w.preview = await session.preview();
      const counts = w.preview.counts;
      announce(`Fetched: ${counts.huma} in Huma, ${counts.crona} in Crona, ${counts.differences} differences.`);
      w.go(1);
    } catch (error) {
      if (/** @type {any} */ (error)?.code === 'signed_out') return;
      const cancelled = abort.signal.aborted;
      const said = cancelled ? 'Cancelled: nothing was written.' : `${started ? 'Couldn\'t read both systems' : 'Couldn\'t start'}: ${whyStopped(error)}`;
      w.leave(cancelled
        ? { outcome: 'cancelled', summary: 'Cancelled while reading: nothing was written.' }
        : { outcome: 'stopped', summary: said, errors: [{ code: /** @type {any} */ (error)?.code ?? 'stopped', message: said }] });
      bar.set(0, cancelled ? 'Cancelled.' : 'Stopped.');
      cancel.remove();
      fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, said),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', onclick: () => w.leave().then(() => showWizard(/** @type {HTMLElement} */ (document.getElementById('app')), w.nav, c)) }, 'Try again'),
          h('button', { type: 'button', class: 'button quiet', onclick: () => w.leave().then(() => w.nav.home(`sync-${c.id}`)) }, 'Back to connections')));
      /** @type {HTMLElement} */ (outcome.querySelector('button')).focus();
    }
  })();
  return el;
}
