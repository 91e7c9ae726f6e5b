// Huma's profile webhooks, in the service: one receiver per connection (/webhooks/<id>) with the
// connection's own sealed secret. A delivery is verified (signature in constant time, topic,
// size), stored in the queue *before* the 202, and pushed by the push rules under the
// connection's lease, a burst as one push. What can't be pushed by trying again is held for an
// administrator, who approves it on the page (or a sync covers it). Queued events are replayed
// when the service starts again: a replay is harmless, since a push reads Huma's current state.
import { randomBytes } from 'node:crypto';
import { CronaSyncError } from '../errors.js';
import { readWebhook } from '../webhook.js';
import { Batcher } from '../cli/batcher.js';
import { batchRunner } from '../cli/push-batch.js';
import { pushPeople } from '../cli/push.js';
import { readBody } from './http-io.js';
import { fetchPreview } from '../cli/context.js';
import { openHome } from '../cli/home.js';

export const MAX_DELIVERY_BYTES = 1024 * 1024;

/** @typedef {import('./store.js').Store} Store */

export class Webhooks {
  /**
   * @param {object} o
   * @param {Store} o.store
   * @param {(line: string) => void} o.log
   * @param {() => string} o.today   the date in Sweden now (the service's clock)
   * @param {number} [o.debounceMs]
   * @param {(c: import('./store.js').StoredConnection, kind: string, report: any) => void} [o.reported]  after each push (the result e-mail)
   */
  constructor({ store, log, today, debounceMs = 2000, reported = () => {} }) {
    this.reported = reported;
    this.store = store;
    this.log = log;
    this.today = today;
    this.debounceMs = debounceMs;
    /** @type {Map<number, Batcher>} */
    this.batchers = new Map();
    /** @type {Map<number, string>} when each connection last received a delivery */
    this.lastReceived = new Map();
  }

  /** A new webhook secret for the connection, sealed; shown once. @param {number} id */
  newSecret(id) {
    const secret = randomBytes(32).toString('base64url');
    this.store.setSecret(id, 'webhook.secret', secret);
    return secret;
  }

  /** @param {number} id */
  #batcher(id) {
    let b = this.batchers.get(id);
    if (b) return b;
    const c = this.store.connection(id);
    if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`);
    const say = (/** @type {{ text: string }} */ line) => this.log(`${c.name}: ${line.text}`);
    b = new Batcher({
      debounceMs: this.debounceMs,
      finished: (seqs) => this.store.finishEvents(seqs),
      run: batchRunner({
        push: async (ids) => {
          const current = this.store.connection(id);
          if (!current) throw new CronaSyncError('not_found', 'The connection was removed.');
          const pushed = await pushPeople({ today: this.today() }, ids, { quiet: true, service: { store: this.store, connection: current, kind: 'webhook', startedBy: 'webhooks' } });
          this.reported(current, 'webhook', pushed.report);
          return pushed;
        },
        hold: (ids, events, code, why) => {
          const seqs = [...new Set(ids.flatMap((p) => events.get(p) ?? []))];
          this.store.holdEvents(seqs, code, why);
          this.store.addErrors(id, [{ time: new Date().toISOString(), people: ids, code, message: `Held for an administrator: ${why}. Approve it on the connection, or run a sync.` }]);
          say({ text: `held ${ids.length} ${ids.length === 1 ? 'person' : 'people'} (${code}): ${why}` });
          return true;
        },
        log: say,
      }),
    });
    this.batchers.set(id, b);
    return b;
  }

  /**
   * One delivery to /webhooks/<id>: 202 once stored; 401/400/413 refused, nothing stored.
   * @param {import('node:http').IncomingMessage} req @param {number} id
   * @returns {Promise<{ status: number, body: object }>}
   */
  async receive(req, id) {
    const c = this.store.connection(id);
    const secret = c ? this.store.secret(id, 'webhook.secret') : null;
    if (!c || !secret) throw new CronaSyncError('not_found', 'No webhook receiver here: set up webhooks on the connection first.');
    const body = await readBody(req, MAX_DELIVERY_BYTES);
    let event;
    try {
      event = readWebhook({ secret }, req.headers, body);
    } catch (error) {
      const e = /** @type {CronaSyncError} */ (error);
      this.log(`${c.name}: refused a webhook delivery (${e.code}): ${e.message}`);
      throw new CronaSyncError(e.code, e.message, { status: /** @type {any} */ (e.details)?.status ?? 400 });
    }
    this.lastReceived.set(id, new Date().toISOString());
    if (!event.profile || event.topic === 'users-delete') {
      // Nothing is deleted in Crona: payroll history stays, and the end date comes through the positions.
      return { status: 202, body: { ignored: true, reason: event.profile ? 'nothing is deleted in Crona' : 'not a profile topic' } };
    }
    if (!this.store.stateSummary(id).activatedAt) {
      return { status: 202, body: { ignored: true, reason: 'the connection is not active yet: its first sync covers everyone' } };
    }
    const seq = this.store.enqueue(id, event.topic, event.ids);
    this.#batcher(id).add(seq, event.ids);
    this.log(`${c.name}: ${event.topic} #${seq} for ${event.ids.length} user(s): queued`);
    return { status: 202, body: { queued: seq, people: event.ids.length } };
  }

  /**
   * An administrator approves what was held: the held people are pushed as one approved push (a
   * mass change included), under the connection's lease, recorded as theirs. Someone Huma still
   * won't serve, or whose write still fails, stays held; the others' events are finished.
   * @param {number} id @param {{ name: string }} admin
   */
  async approve(id, admin) {
    const c = this.store.connection(id);
    if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`);
    const held = this.store.events(id, 'held');
    let ids = [...new Set(held.flatMap((e) => e.ids))];
    if (!ids.length) return { approved: 0, stillHeld: 0, summary: 'Nothing is held.' };
    /** @type {Set<string>} */
    const refused = new Set();
    let report = null;
    while (ids.length && !report) {
      try {
        ({ report } = await pushPeople({ today: this.today() }, ids, { quiet: true, allowMassChange: true, service: { store: this.store, connection: c, kind: 'push', startedBy: admin.name } }));
      } catch (error) {
        const details = error instanceof CronaSyncError ? /** @type {any} */ (error.details) : null;
        const person = details?.transient ? undefined : details?.humaUserId;
        if (!person || !ids.includes(person)) throw error; // nothing was pushed: everything stays held
        refused.add(person);
        ids = ids.filter((p) => p !== person);
      }
    }
    for (const e of report?.errors ?? []) if (e.person?.humaId) refused.add(e.person.humaId);
    const done = held.filter((e) => e.ids.every((p) => !refused.has(p))).map((e) => e.seq);
    this.store.finishEvents(done, 'held');
    return { approved: ids.length - [...refused].filter((p) => ids.includes(p)).length, stillHeld: refused.size, summary: report?.summary.text ?? 'Nothing could be pushed.' };
  }

  /**
   * What approving the held events would write, person by person: a push's plan, read from both
   * systems now, applied to nothing.
   * @param {number} id
   */
  async preview(id) {
    const c = this.store.connection(id);
    if (!c) throw new CronaSyncError('not_found', `There is no connection ${id}.`);
    const ids = [...new Set(this.store.events(id, 'held').flatMap((e) => e.ids))];
    if (!ids.length) return { people: 0, needsMassChangeApproval: false, operations: [] };
    const today = this.today();
    const home = openHome({ today }, { store: this.store, connection: c, kind: 'push', startedBy: 'preview' });
    const { session } = await fetchPreview({ today }, home.readState(), { mode: 'push', humaUserIds: ids }, true, home.transports());
    try {
      const plan = session.plan({});
      return {
        people: ids.length,
        needsMassChangeApproval: plan.needsMassChangeApproval,
        operations: plan.operations.map((o) => ({ person: o.person.name, anstNr: o.person.anstNr ?? null, kind: o.kind, fields: o.fields, description: o.description })),
      };
    } finally {
      session.free();
    }
  }

  /** Pushes what is still queued from before a stop. Returns how many events. */
  replay() {
    let n = 0;
    for (const c of this.store.connections()) {
      for (const e of this.store.events(c.id, 'queued')) {
        this.#batcher(c.id).add(e.seq, e.ids);
        n++;
      }
    }
    if (n) this.log(`replaying ${n} queued webhook event(s)`);
    return n;
  }

  /** @param {number} id */
  health(id) {
    const queued = this.store.eventCount(id, 'queued');
    return {
      configured: Boolean(this.store.secret(id, 'webhook.secret')),
      lastReceivedAt: this.lastReceived.get(id) ?? null,
      queued,
      held: this.store.eventCount(id, 'held'),
    };
  }

  /** Finishes the pushes running now; queued events stay for the next start. */
  async stop() {
    await Promise.all([...this.batchers.values()].map((b) => b.stop()));
  }
}
