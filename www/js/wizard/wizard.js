// "Synchronize users": fetch → conflicts and missing values → create users → review → run →
// result. The fetch step starts a run in the service (which takes the connection's lease); one
// SyncSession (in its worker, session-client.js) then holds both registers and every decision
// re-plans in the core without re-sending anything. Every way out of the wizard finishes the run, so the lease goes back.
// Leaving while the plan runs, or with choices not yet run, asks first (the crumb, closing the tab).
import { ask } from '../confirm.js';
import { fill, focusHeading, h } from '../dom.js';
import { fetchStep } from './fetching.js';
import { conflictsStep } from './conflicts.js';
import { createStep } from './create.js';
import { reviewStep } from './review.js';
import { runStep } from './run.js';
import { resultStep } from './result.js';

/** @typedef {import('../../app.js').Nav} Nav */
/** @typedef {import('../service-run.js').Ending} Ending */

export const STEPS = ['Fetch', 'Conflicts and missing values', 'Create users', 'Review', 'Run', 'Result'];

/** Leaving before the run step: nothing was written. */
const LEFT = /** @type {Ending} */ ({ outcome: 'cancelled', summary: 'Cancelled before anything was written.' });

/** The wizard on screen, for the browser's "leave this page?" question. @type {Wizard | null} */
let shown = null;
addEventListener('beforeunload', (e) => {
  if (shown && (shown.running || shown.unsaved())) e.preventDefault();
});

/**
 * @typedef {object} Wizard  what the steps share
 * @property {import('../api.js').Connection} connection
 * @property {import('../session-client.js').RemoteSession} session  the core's session in its worker: made by the fetch step, before any later step runs
 * @property {import('../service-run.js').ServiceRun | null} run  the service's run, once started
 * @property {import('../../../pkg/index.js').Decisions & { choices: Record<string, import('../../../pkg/index.js').Choice>, fieldDefaults: Record<string, import('../../../pkg/index.js').Choice>, createInCrona: string[], createInHuma: string[] }} decisions
 * @property {import('../../../pkg/index.js').Preview | null} preview
 * @property {import('../../../pkg/index.js').Plan | null} plan  the plan under review
 * @property {boolean} allowMassChange
 * @property {import('../../../pkg/index.js').Report | null} report
 * @property {unknown} notSaved  why the service didn't save the result's state, if it didn't
 * @property {AbortSignal} lost  aborted when the lease is lost: stop writing
 * @property {(error: Error) => void} lose  the lease was lost: say so, and stop writing
 * @property {(run: import('../service-run.js').ServiceRun) => boolean} adopt  keeps a started run; false (and ends it) when the wizard was left meanwhile
 * @property {(session: import('../session-client.js').RemoteSession) => boolean} keep  keeps the started session; false (and frees it) when the wizard was left meanwhile
 * @property {(ending?: Ending) => Promise<void>} leave  finishes the run if it still runs and frees the session (once); resolves when the service has the run back
 * @property {(index: number) => void} go
 * @property {boolean} running  writes are being sent (or the writes in flight awaited): leaving asks to stop first
 * @property {(() => Promise<void>) | null} requestStop  the run step's Cancel: asks, then stops sending
 * @property {() => boolean} unsaved  choices were made that haven't run: leaving asks first
 * @property {Nav} nav
 */

/** @param {HTMLElement} root @param {Nav} nav @param {import('../api.js').Connection} c */
export function showWizard(root, nav, c) {
  let left = false;
  let step = 0;
  const lost = new AbortController();
  const steps = h('ol', { class: 'steps' });
  const alerts = h('div');
  const area = h('div', { class: 'step-area' });
  /** The lease expired and someone else took the connection: this wizard must not write. @param {Error} error */
  const onLost = (error) => {
    lost.abort(error);
    w.run?.end({ outcome: 'stopped', summary: `Stopped: ${error.message}`, errors: [{ code: 'lease_lost', message: error.message }] });
    const shown = h('p', { class: 'status status-error', role: 'alert', tabindex: '-1' }, error.message);
    fill(alerts, shown);
    shown.focus();
  };
  /** @type {Wizard} */
  const w = {
    connection: c,
    session: /** @type {any} */ (null),
    run: null,
    decisions: { choices: {}, fieldDefaults: {}, createInCrona: [], createInHuma: [] },
    preview: null,
    plan: null,
    allowMassChange: false,
    report: null,
    notSaved: null,
    lost: lost.signal,
    lose: onLost,
    nav,
    running: false,
    requestStop: null,
    unsaved() {
      const d = w.decisions;
      const chosen = Object.keys(d.choices).length + Object.keys(d.fieldDefaults).length + d.createInCrona.length + d.createInHuma.length;
      return !left && step >= 1 && step <= 3 && (chosen > 0 || w.allowMassChange);
    },
    adopt(run) {
      if (left) {
        run.end(LEFT);
        return false;
      }
      w.run = run;
      return true;
    },
    keep(session) {
      if (left) {
        session.free();
        return false;
      }
      w.session = session;
      return true;
    },
    leave(ending = LEFT) {
      const ended = w.run?.end(ending) ?? Promise.resolve();
      if (!left) {
        left = true;
        w.session?.free();
      }
      return ended;
    },
    go(index) {
      step = index;
      fill(steps, STEPS.map((name, i) => h('li', { class: i === index ? 'current' : i < index ? 'done' : '', 'aria-current': i === index ? 'step' : null },
        h('span', { class: 'sr-only' }, i < index ? 'Done: ' : i === index ? 'Current step: ' : 'Later: '), `${i + 1}. ${name}`)));
      const render = [fetchStep, conflictsStep, createStep, reviewStep, runStep, resultStep][index];
      fill(area, render(w));
      focusHeading(area);
    },
  };
  fill(root, h('section', { class: 'view wizard', 'aria-label': `Synchronize users: ${c.name}` },
    h('p', { class: 'crumb' }, h('button', { type: 'button', class: 'link', onclick: async () => {
      // While writing: the same question as Cancel; stopping shows the result, as a whole run would.
      if (w.running) return w.requestStop?.();
      if (w.unsaved() && !(await ask({
        title: 'Leave this sync?',
        text: 'Your choices in this sync haven\'t been run and aren\'t kept anywhere: leaving drops them. Nothing is written.',
        yes: 'Leave and drop my choices',
        no: 'Stay',
      }))) return;
      w.leave().then(() => nav.home(`sync-${c.id}`));
    } }, '‹ Connections'), ` / ${c.name}`),
    h('nav', { 'aria-label': 'Steps' }, steps),
    alerts,
    area));
  shown = w;
  w.go(0);
}
