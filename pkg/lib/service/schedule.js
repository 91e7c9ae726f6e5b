// The daily run: at 00:05 in Sweden, every active connection pushes its paired people by the
// push rules, so values that change with the date (Slutat turns true the day after AvgDatum) and
// position changes that came without a webhook reach Crona without anyone running a sync. With
// the connection's `driftCheck` setting, a preview follows that only counts what waits for a
// manual sync. The clock is injected: tests run a day in milliseconds.
import { CronaSyncError } from '../errors.js';
import { fetchPreview } from '../cli/context.js';
import { openHome } from '../cli/home.js';
import { pushPeople } from '../cli/push.js';
import { nextStockholm, stockholmDate } from '../clock.js';

const AT = { hour: 0, minute: 5 };
/** A connection someone else is running on at 00:05 is tried again after this long. */
const BUSY_RETRY_MS = 5 * 60_000;

/** @typedef {import('./store.js').Store} Store @typedef {import('./store.js').StoredConnection} StoredConnection */

export class Schedule {
  /**
   * @param {object} o
   * @param {Store} o.store
   * @param {(line: string) => void} o.log
   * @param {() => Date} o.now
   * @param {number} [o.checkMs]  how often the clock is looked at (default 30 s)
   * @param {(c: StoredConnection, kind: string, report: any) => void} [o.reported]  after each daily push (the result e-mail)
   */
  constructor({ store, log, now, checkMs = 30_000, reported = () => {} }) {
    this.reported = reported;
    this.store = store;
    this.log = log;
    this.now = now;
    this.checkMs = checkMs;
    /** @type {Map<number, Date>} when each connection's next run is due */
    this.due = new Map();
    this.running = Promise.resolve();
    this.busy = false;
    /** @type {ReturnType<typeof setInterval> | null} */
    this.timer = null;
  }

  start() {
    this.timer = setInterval(() => this.check(), this.checkMs);
    this.timer.unref();
  }

  /** When the connection's next scheduled run is, or null while it isn't active. @param {number} id */
  nextRunAt(id) {
    if (!this.store.stateSummary(id).activatedAt) return null;
    let due = this.due.get(id);
    if (!due) this.due.set(id, (due = nextStockholm(this.now(), AT.hour, AT.minute)));
    return due.toISOString();
  }

  /** Runs every connection whose time has come; one check at a time. */
  check() {
    if (this.busy) return this.running;
    this.busy = true;
    this.running = this.#runDue().finally(() => {
      this.busy = false;
    });
    return this.running;
  }

  async #runDue() {
    for (const c of this.store.connections()) {
      const next = this.nextRunAt(c.id);
      if (!next || this.now() < new Date(next)) continue;
      try {
        await this.#daily(c);
        this.due.set(c.id, nextStockholm(this.now(), AT.hour, AT.minute));
      } catch (error) {
        const e = error instanceof CronaSyncError ? error : new CronaSyncError('internal_error', String(error instanceof Error ? error.message : error));
        this.log(`${c.name}: the daily run failed (${e.code}): ${e.message}`);
        this.due.set(c.id, e.code === 'locked' ? new Date(this.now().getTime() + BUSY_RETRY_MS) : nextStockholm(this.now(), AT.hour, AT.minute));
      }
    }
  }

  /** @param {StoredConnection} c */
  async #daily(c) {
    const today = stockholmDate(this.now());
    const ids = [...new Set((this.store.state(c.id).state?.pairs ?? []).map((/** @type {{ humaId: string }} */ p) => p.humaId))];
    if (ids.length) {
      const { report } = await pushPeople({ today }, ids, { quiet: true, service: { store: this.store, connection: c, kind: 'scheduled', startedBy: 'schedule' } });
      this.log(`${c.name}: daily run: ${report.summary.text}`);
      this.reported(c, 'scheduled', report);
    }
    if (c.settings.driftCheck) await this.#drift(c, today);
  }

  /** A preview that writes nothing and records what waits for a manual sync. @param {StoredConnection} c @param {string} today */
  async #drift(c, today) {
    const home = openHome({ today }, { store: this.store, connection: c, kind: 'drift', startedBy: 'schedule' });
    const release = home.lock('sync');
    try {
      const { session } = await fetchPreview({ today }, home.readState(), {}, true, home.transports());
      const n = session.preview().counts;
      session.free();
      const waiting = n.differences + n.onlyInHuma + n.onlyInCrona;
      home.note?.(`Drift check: ${waiting ? `${n.differences} differences, ${n.blockers} blockers and ${n.onlyInHuma + n.onlyInCrona} people on one side only wait for a manual sync.` : 'both systems agree on everything the sync covers.'}`);
    } catch (error) {
      home.fail(error);
      throw error;
    } finally {
      release();
    }
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    return this.running;
  }
}
