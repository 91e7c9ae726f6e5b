// "Synchronize users": fetch → conflicts and missing values → create users → review → run →
// result. One SyncSession holds both registers; every decision re-plans in the core without
// re-sending anything. Each step replaces the step area and moves focus to its heading.
import { SyncSession } from '../../../pkg/web.js';
import { announce, fill, focusHeading, h } from '../dom.js';
import { connection, stateOf } from '../store.js';
import { transportsFor } from '../transports.js';
import { today } from '../format.js';
import { fetchStep } from './fetching.js';
import { conflictsStep } from './conflicts.js';
import { createStep } from './create.js';
import { reviewStep } from './review.js';
import { runStep } from './run.js';
import { resultStep } from './result.js';

/** @typedef {import('../../app.js').Nav} Nav */

export const STEPS = ['Fetch', 'Conflicts and missing values', 'Create users', 'Review', 'Run', 'Result'];

/**
 * @typedef {object} Wizard  what the steps share
 * @property {import('../store.js').Connection} connection
 * @property {NonNullable<ReturnType<typeof transportsFor>>} transports
 * @property {SyncSession} session
 * @property {import('../../../pkg/index.js').Decisions & { choices: Record<string, import('../../../pkg/index.js').Choice>, fieldDefaults: Record<string, import('../../../pkg/index.js').Choice>, createInCrona: string[], createInHuma: string[] }} decisions
 * @property {import('../../../pkg/index.js').Preview | null} preview
 * @property {{ humaOrganizationId?: string, cronaCompanyId?: string } | null} identity
 * @property {import('../../../pkg/index.js').Plan | null} plan  the plan under review
 * @property {boolean} allowMassChange
 * @property {import('../../../pkg/index.js').Report | null} report
 * @property {(index: number) => void} go
 * @property {() => void} free  releases the session (once)
 * @property {boolean} running  writes are being sent: leaving is refused
 * @property {Nav} nav
 */

/** @param {HTMLElement} root @param {Nav} nav @param {string} id */
export function showWizard(root, nav, id) {
  const c = connection(id);
  const transports = c ? transportsFor(c) : null;
  if (!c || !transports) return nav.edit(id);
  const state = stateOf(c.id);
  const scope = c.group ? { [`${c.group.type === 'company' ? 'companies' : c.group.type === 'location' ? 'locations' : 'teams'}`]: [c.group.id] } : {};
  const session = new SyncSession({ today: today(), now: new Date().toISOString(), state, scope });
  let freed = false;
  const steps = h('ol', { class: 'steps' });
  const area = h('div', { class: 'step-area' });
  /** @type {Wizard} */
  const w = {
    connection: c,
    transports,
    session,
    decisions: { choices: {}, fieldDefaults: {}, createInCrona: [], createInHuma: [] },
    preview: null,
    identity: null,
    plan: null,
    allowMassChange: false,
    report: null,
    nav,
    running: false,
    free() {
      if (freed) return;
      freed = true;
      session.free();
    },
    go(index) {
      fill(steps, STEPS.map((name, i) => h('li', { class: i === index ? 'current' : i < index ? 'done' : '', 'aria-current': i === index ? 'step' : null },
        h('span', { class: 'sr-only' }, i < index ? 'Done: ' : i === index ? 'Current step: ' : 'Later: '), `${i + 1}. ${name}`)));
      const render = [fetchStep, conflictsStep, createStep, reviewStep, runStep, resultStep][index];
      fill(area, render(w));
      focusHeading(area);
    },
  };
  fill(root, h('section', { class: 'view wizard', 'aria-label': `Synchronize users: ${c.name}` },
    h('p', { class: 'crumb' }, h('button', { type: 'button', class: 'link', onclick: () => {
      if (w.running) return announce('The plan is running: wait for it to finish, or cancel it first.');
      w.free();
      nav.home(`sync-${c.id}`);
    } }, '‹ Connections'), ` / ${c.name}`),
    h('nav', { 'aria-label': 'Steps' }, steps),
    area));
  w.go(0);
}
