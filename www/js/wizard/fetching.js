// Step 1: verify both credentials against the state, then read both registers with a progress
// bar and counts per system. Cancellable; an error says what failed and offers a retry.
import { drive } from '../../../pkg/web.js';
import { announce, fill, h } from '../dom.js';
import { count, message } from '../format.js';
import { progressBar } from '../progress.js';
import { rememberCompany, stateOf } from '../store.js';
import { checkIdentity } from '../identity.js';
import { showWizard } from './wizard.js';

/** @param {import('./wizard.js').Wizard} w */
export function fetchStep(w) {
  const bar = progressBar('Reading Huma and Crona Lön');
  const abort = new AbortController();
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => abort.abort() }, 'Cancel');
  const outcome = h('div');
  const el = h('section', { class: 'card step' }, h('h2', {}, 'Reading both systems'),
    h('p', {}, `Fetching everyone in ${w.connection.group ? w.connection.group.name : 'Huma'} and every employee in ${w.connection.crona?.companyName ?? 'Crona Lön'}. Nothing is written.`),
    bar.el, outcome, h('div', { class: 'actions' }, cancel));
  bar.set(null, 'Checking the credentials…');
  (async () => {
    try {
      const { identity, company } = await checkIdentity(w.transports, stateOf(w.connection.id), abort.signal);
      w.identity = identity;
      rememberCompany(w.connection, company, identity);
      await drive(w.session, w.transports, {
        concurrency: 6,
        signal: abort.signal,
        onProgress: () => {
          const p = w.session.progress();
          const total = p.humaListed + p.pending;
          bar.set(total ? (p.humaRead + p.cronaRead) / (total + p.cronaRead) : null,
            `Huma: ${count(p.humaRead, 'person', 'people')} read of ${p.humaListed.toLocaleString('en-GB')} listed · Crona Lön: ${count(p.cronaRead, 'employee', 'employees')} read`);
        },
      });
      performance.mark('crona-sync:fetched'); // npm run bench measures from here to the conflicts table
      w.preview = w.session.preview();
      const c = w.preview.counts;
      announce(`Fetched: ${c.huma} in Huma, ${c.crona} in Crona, ${c.differences} differences.`);
      w.go(1);
    } catch (error) {
      const cancelled = abort.signal.aborted;
      bar.set(0, cancelled ? 'Cancelled.' : 'Stopped.');
      cancel.remove();
      fill(outcome, h('p', { class: 'status status-error', role: 'alert' }, cancelled ? 'Cancelled: nothing was written.' : `Couldn't read both systems: ${message(error)}`),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', onclick: () => { w.free(); showWizard(/** @type {HTMLElement} */ (document.getElementById('app')), w.nav, w.connection.id); } }, 'Try again'),
          h('button', { type: 'button', class: 'button quiet', onclick: () => { w.free(); w.nav.home(`sync-${w.connection.id}`); } }, 'Back to connections')));
      /** @type {HTMLElement} */ (outcome.querySelector('button')).focus();
    }
  })();
  return el;
}
