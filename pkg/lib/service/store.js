// The integration service's store: one SQLite file in the data directory (better-sqlite3, WAL),
// the single home of every connection. Each state change is one writer transaction, so a crash
// leaves the change whole or not at all. Secrets are sealed (seal.js) before they reach it.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CronaSyncError } from '../errors.js';
import { LATEST, MIGRATIONS } from './migrations.js';
import { loadKey, open, seal } from './seal.js';

/** The secrets a connection may have. */
export const SECRET_NAMES = Object.freeze(['huma.clientSecret', 'crona.apiKey', 'crona.activationCode', 'webhook.secret', 'state.baselineKey']);

/**
 * @typedef {object} StoredConnection
 * @property {number} id
 * @property {string} name
 * @property {Record<string, any>} settings   base URLs, client id, company, scope: no secret
 * @property {string} createdAt
 * @property {string[]} secrets  the names of the secrets it has (never their values)
 */

/** @typedef {{ id: number, kind: string, startedBy: string, startedAt: string, finishedAt: string | null, outcome: string | null, summary: string | null }} RunRow */

export class Store {
  /**
   * Opens (or creates) the store in `dir`: the folder 0700, the database migrated to the latest
   * schema, the sealing key loaded.
   * @param {string} dir
   * @param {{ env?: Record<string, string | undefined>, now?: () => Date }} [options]
   */
  static open(dir, options = {}) {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
    const key = loadKey(dir, options.env);
    const db = new Database(join(dir, 'crona-sync.db'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000'); // the CLI and the service share the file
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    chmodSync(join(dir, 'crona-sync.db'), 0o600);
    return new Store(db, key, dir, options.now ?? (() => new Date()));
  }

  /**
   * @param {import('better-sqlite3').Database} db @param {Buffer} key @param {string} dir
   * @param {() => Date} now
   */
  constructor(db, key, dir, now) {
    this.db = db;
    this.key = key;
    this.dir = dir;
    this.now = now;
  }

  /** @type {Map<string, import('better-sqlite3').Statement>} */
  #statements = new Map();

  /**
   * The statement for `sql`, compiled once: the relay asks the store on every request it forwards.
   * @param {string} sql
   */
  #sql(sql) {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  close() {
    this.db.close();
  }

  /** The schema version of the open store. */
  get version() {
    return /** @type {number} */ (this.db.pragma('user_version', { simple: true }));
  }

  /** An online copy of the store to `file`, consistent while the service runs. @param {string} file */
  async backup(file) {
    await this.db.backup(file);
    chmodSync(file, 0o600);
  }

  #time() {
    return this.now().toISOString();
  }

  // Connections and their secrets.

  /**
   * Adds a connection and seals its secrets, in one transaction.
   * @param {{ name: string, settings: Record<string, any>, secrets?: Record<string, string | undefined> }} c
   * @returns {number} its id
   */
  addConnection(c) {
    const name = c.name.trim();
    if (!name) throw new CronaSyncError('invalid_argument', 'A connection needs a name.', { field: 'name' });
    return this.db.transaction(() => {
      if (this.#sql('SELECT 1 FROM connections WHERE name = ?').get(name)) {
        throw new CronaSyncError('connection_exists', `There is already a connection named ${JSON.stringify(name)}.`, { name });
      }
      const at = this.#time();
      const id = Number(this.#sql('INSERT INTO connections (name, settings, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, JSON.stringify(c.settings), at, at).lastInsertRowid);
      for (const [secret, value] of Object.entries(c.secrets ?? {})) if (value) this.#putSecret(id, secret, value);
      return id;
    })();
  }

  /** @param {number} id @param {Record<string, any>} settings */
  updateSettings(id, settings) {
    this.#mustExist(id);
    this.#sql('UPDATE connections SET settings = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(settings), this.#time(), id);
  }

  /**
   * Renames a connection, replaces its settings and its secrets (an undefined one is removed),
   * in one transaction.
   * @param {number} id @param {string} name @param {Record<string, any>} settings @param {Record<string, string | undefined>} secrets
   */
  updateConnection(id, name, settings, secrets) {
    this.#mustExist(id);
    this.db.transaction(() => {
      this.#sql('UPDATE connections SET name = ?, settings = ?, updated_at = ? WHERE id = ?').run(name.trim(), JSON.stringify(settings), this.#time(), id);
      for (const [secret, value] of Object.entries(secrets)) {
        if (value) this.#putSecret(id, secret, value);
        else this.removeSecret(id, secret);
      }
    })();
  }

  /** Every connection, by name. @returns {StoredConnection[]} */
  connections() {
    const rows = /** @type {any[]} */ (this.#sql('SELECT id, name, settings, created_at FROM connections ORDER BY name').all());
    return rows.map((r) => this.#connection(r));
  }

  /**
   * One connection, by id or name; null when there is none.
   * @param {number | string} which
   * @returns {StoredConnection | null}
   */
  connection(which) {
    const row = typeof which === 'number'
      ? this.#sql('SELECT id, name, settings, created_at FROM connections WHERE id = ?').get(which)
      : this.#sql('SELECT id, name, settings, created_at FROM connections WHERE name = ?').get(which);
    return row ? this.#connection(row) : null;
  }

  /** @param {any} r @returns {StoredConnection} */
  #connection(r) {
    const names = /** @type {{ name: string }[]} */ (this.#sql('SELECT name FROM secrets WHERE connection_id = ? ORDER BY name').all(r.id));
    return { id: r.id, name: r.name, settings: JSON.parse(r.settings), createdAt: r.created_at, secrets: names.map((n) => n.name) };
  }

  /** @param {number} id */
  removeConnection(id) {
    this.#sql('DELETE FROM connections WHERE id = ?').run(id);
  }

  /** @param {number} id @param {string} name @param {string} value */
  setSecret(id, name, value) {
    this.#mustExist(id);
    this.#putSecret(id, name, value);
  }

  /** @param {number} id @param {string} name @param {string} value */
  #putSecret(id, name, value) {
    if (!SECRET_NAMES.includes(name)) throw new CronaSyncError('invalid_argument', `Unknown secret ${JSON.stringify(name)}.`, { field: name });
    this.#sql('INSERT INTO secrets (connection_id, name, sealed, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (connection_id, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at')
      .run(id, name, seal(this.key, value, aad(id, name)), this.#time());
  }

  /**
   * A secret in clear, for the transports only; null when the connection has none of that name.
   * @param {number} id @param {string} name
   */
  secret(id, name) {
    const row = /** @type {{ sealed: string } | undefined} */ (this.#sql('SELECT sealed FROM secrets WHERE connection_id = ? AND name = ?').get(id, name));
    return row ? open(this.key, row.sealed, aad(id, name)) : null;
  }

  /**
   * The connection's fingerprint key for the baseline (64 hex digits), made at first use: the
   * state then keeps fingerprints, not values (src/fingerprint.rs).
   * @param {number} id
   */
  baselineKey(id) {
    const known = this.secret(id, 'state.baselineKey');
    if (known) return known;
    const key = randomBytes(32).toString('hex');
    this.setSecret(id, 'state.baselineKey', key);
    return key;
  }

  /** @param {number} id @param {string} name */
  removeSecret(id, name) {
    this.#sql('DELETE FROM secrets WHERE connection_id = ? AND name = ?').run(id, name);
  }

  /** @param {number} id */
  #mustExist(id) {
    if (!this.#sql('SELECT 1 FROM connections WHERE id = ?').get(id)) {
      throw new CronaSyncError('not_found', `There is no connection ${id}.`, { connection: id });
    }
  }

  // The sync state, versioned.

  /**
   * The state the last sync left, and its version (0 and null before the first sync).
   * @param {number} id
   * @returns {{ version: number, state: any, savedAt: string | null }}
   */
  state(id) {
    const row = /** @type {any} */ (this.#sql('SELECT version, state, saved_at FROM states WHERE connection_id = ?').get(id));
    return row ? { version: row.version, state: JSON.parse(row.state), savedAt: row.saved_at } : { version: 0, state: null, savedAt: null };
  }

  /**
   * What a view needs of the state, read in SQLite without parsing the whole state (at 10,000
   * people it is megabytes): its version, activation, last sync and last push.
   * @param {number} id
   * @returns {{ version: number, activatedAt: string | null, lastSync: any, lastPush: any }}
   */
  stateSummary(id) {
    const row = /** @type {any} */ (this.#sql("SELECT version, json_extract(state, '$.activatedAt') AS activated, json_extract(state, '$.lastSync') AS sync, json_extract(state, '$.lastPush') AS push FROM states WHERE connection_id = ?").get(id));
    if (!row) return { version: 0, activatedAt: null, lastSync: null, lastPush: null };
    return { version: row.version, activatedAt: row.activated ?? null, lastSync: row.sync ? JSON.parse(row.sync) : null, lastPush: row.push ? JSON.parse(row.push) : null };
  }

  /** Whether the connection's state remembers this Huma user as paired. @param {number} id @param {string} humaUserId */
  pairs(id, humaUserId) {
    return Boolean(this.#sql("SELECT 1 FROM states, json_each(states.state, '$.pairs') AS p WHERE states.connection_id = ? AND json_extract(p.value, '$.humaId') = ? LIMIT 1").get(id, humaUserId));
  }

  /**
   * Saves a run's nextState, if the state is still the version the run started from; a save
   * over someone else's newer state is refused (`state_conflict`). Returns the new version.
   * @param {number} id @param {any} state @param {number} basedOn
   */
  saveState(id, state, basedOn) {
    this.#mustExist(id);
    return this.db.transaction(() => {
      const now = this.state(id);
      if (now.version !== basedOn) {
        throw new CronaSyncError('state_conflict', `The connection's state changed while this run was going (it started from version ${basedOn}; another run saved version ${now.version} at ${now.savedAt}). Nothing was saved: run the sync again to start from the new state.`, { basedOn, current: now.version });
      }
      const version = basedOn + 1;
      this.#sql('INSERT INTO states (connection_id, version, state, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT (connection_id) DO UPDATE SET version = excluded.version, state = excluded.state, saved_at = excluded.saved_at')
        .run(id, version, JSON.stringify(state), this.#time());
      return version;
    })();
  }

  // Runs and the error log.

  /**
   * Records a run's start, with the lease it holds and the state version it was given.
   * @param {number} id @param {'sync' | 'push' | 'webhook' | 'scheduled' | 'drift'} kind @param {string} startedBy
   * @param {{ leaseToken?: string, basedOn?: number }} [with_]
   * @returns {number} the run's id
   */
  startRun(id, kind, startedBy, with_ = {}) {
    this.#mustExist(id);
    return Number(this.#sql('INSERT INTO runs (connection_id, kind, started_by, started_at, lease_hash, based_on) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, kind, startedBy, this.#time(), with_.leaseToken ? hashToken(with_.leaseToken) : null, with_.basedOn ?? null).lastInsertRowid);
  }

  /** Whether the run was started with this lease token. @param {number} runId @param {unknown} token */
  runHolds(runId, token) {
    if (typeof token !== 'string') return false;
    const row = /** @type {{ lease_hash: string | null } | undefined} */ (this.#sql('SELECT lease_hash FROM runs WHERE id = ?').get(runId));
    return Boolean(row?.lease_hash && row.lease_hash === hashToken(token));
  }

  /** The state version a run was handed at its start (null for a run recorded without one). @param {number} runId */
  runBasedOn(runId) {
    const row = /** @type {{ based_on: number | null } | undefined} */ (this.#sql('SELECT based_on FROM runs WHERE id = ?').get(runId));
    return row?.based_on ?? null;
  }

  /**
   * Finishes the runs of a connection that can't go on: unfinished, and their lease gone (a
   * closed tab, a killed process). Returns how many.
   * @param {number} id
   */
  closeOrphans(id) {
    const current = /** @type {{ token: string } | undefined} */ (this.#sql('SELECT token FROM leases WHERE connection_id = ? AND expires_at > ?').get(id, this.#time()));
    const keep = current ? hashToken(current.token) : '';
    return this.#sql("UPDATE runs SET finished_at = ?, outcome = 'stopped', summary = ? WHERE connection_id = ? AND finished_at IS NULL AND (lease_hash IS NULL OR lease_hash != ?)")
      .run(this.#time(), 'Stopped without a report: its lease ran out (a closed tab, a lost connection or a stopped process). Run a sync to see where things stand.', id, keep).changes;
  }

  /**
   * Records how a run ended and its errors, in one transaction.
   * @param {number} runId
   * @param {{ outcome: string, summary: string, report?: any, errors?: object[] }} r
   */
  finishRun(runId, r) {
    this.db.transaction(() => {
      const run = /** @type {{ connection_id: number } | undefined} */ (this.#sql('SELECT connection_id FROM runs WHERE id = ?').get(runId));
      if (!run) throw new CronaSyncError('not_found', `There is no run ${runId}.`, { run: runId });
      const at = this.#time();
      this.#sql('UPDATE runs SET finished_at = ?, outcome = ?, summary = ?, report = ? WHERE id = ?')
        .run(at, r.outcome, r.summary, r.report === undefined ? null : JSON.stringify(r.report), runId);
      const add = this.#sql('INSERT INTO errors (connection_id, run_id, at, entry) VALUES (?, ?, ?, ?)');
      for (const e of r.errors ?? []) add.run(run.connection_id, runId, at, JSON.stringify(e));
    })();
  }

  /** Adds error log entries that belong to no run (an imported log, a held push). @param {number} id @param {Array<{ time?: string } & Record<string, unknown>>} entries */
  addErrors(id, entries) {
    const add = this.#sql('INSERT INTO errors (connection_id, at, entry) VALUES (?, ?, ?)');
    this.db.transaction(() => entries.forEach((e) => add.run(id, e.time ?? this.#time(), JSON.stringify(e))))();
  }

  /** The latest runs, newest first (those whose lease is gone finished first). @param {number} id @param {number} [limit] @returns {RunRow[]} */
  runs(id, limit = 50) {
    this.closeOrphans(id);
    const rows = /** @type {any[]} */ (this.#sql('SELECT id, kind, started_by, started_at, finished_at, outcome, summary FROM runs WHERE connection_id = ? ORDER BY id DESC LIMIT ?').all(id, limit));
    return rows.map((r) => ({ id: r.id, kind: r.kind, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, summary: r.summary }));
  }

  /** The latest run of a kind, or null. @param {number} id @param {string} kind @returns {RunRow | null} */
  lastRun(id, kind) {
    const r = /** @type {any} */ (this.#sql('SELECT id, kind, started_by, started_at, finished_at, outcome, summary FROM runs WHERE connection_id = ? AND kind = ? ORDER BY id DESC LIMIT 1').get(id, kind));
    return r ? { id: r.id, kind: r.kind, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, summary: r.summary } : null;
  }

  /** One run, or null. @param {number} runId @returns {(RunRow & { connectionId: number }) | null} */
  run(runId) {
    const r = /** @type {any} */ (this.#sql('SELECT id, connection_id, kind, started_by, started_at, finished_at, outcome, summary FROM runs WHERE id = ?').get(runId));
    return r ? { id: r.id, connectionId: r.connection_id, kind: r.kind, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, summary: r.summary } : null;
  }

  /** A run's report (the audit trail), or null. @param {number} runId */
  report(runId) {
    const row = /** @type {{ report: string | null } | undefined} */ (this.#sql('SELECT report FROM runs WHERE id = ?').get(runId));
    return row?.report ? JSON.parse(row.report) : null;
  }

  /** The error log, newest first. @param {number} id @param {number} [limit] */
  errors(id, limit = 200) {
    const rows = /** @type {any[]} */ (this.#sql('SELECT id, run_id, at, entry FROM errors WHERE connection_id = ? ORDER BY id DESC LIMIT ?').all(id, limit));
    return rows.map((r) => ({ ...JSON.parse(r.entry), id: r.id, runId: r.run_id, at: r.at }));
  }

  /** Deletes run reports and errors older than `days`. Returns how many runs went. @param {number} days */
  prune(days) {
    const before = new Date(this.now().getTime() - days * 86_400_000).toISOString();
    return this.db.transaction(() => {
      this.#sql('DELETE FROM errors WHERE at < ?').run(before);
      return this.#sql('DELETE FROM runs WHERE coalesce(finished_at, started_at) < ?').run(before).changes;
    })();
  }

  // The webhook queue: stored before the 202, finished only when pushed or held.

  /** @param {number} id @param {string} topic @param {string[]} ids @returns {number} seq */
  enqueue(id, topic, ids) {
    return Number(this.#sql('INSERT INTO queue (connection_id, at, topic, ids) VALUES (?, ?, ?, ?)').run(id, this.#time(), topic, JSON.stringify(ids)).lastInsertRowid);
  }

  /** How many events have this status. @param {number} id @param {'queued' | 'held' | 'done'} status */
  eventCount(id, status) {
    return /** @type {{ n: number }} */ (this.#sql('SELECT count(*) AS n FROM queue WHERE connection_id = ? AND status = ?').get(id, status)).n;
  }

  /**
   * Events with this status, oldest first.
   * @param {number} id @param {'queued' | 'held' | 'done'} status
   * @returns {{ seq: number, at: string, topic: string, ids: string[], heldCode: string | null, heldReason: string | null }[]}
   */
  events(id, status) {
    const rows = /** @type {any[]} */ (this.#sql('SELECT seq, at, topic, ids, held_code, held_reason FROM queue WHERE connection_id = ? AND status = ? ORDER BY seq').all(id, status));
    return rows.map((r) => ({ seq: r.seq, at: r.at, topic: r.topic, ids: JSON.parse(r.ids), heldCode: r.held_code, heldReason: r.held_reason }));
  }

  /**
   * Finishes events: queued ones when pushed; held ones only when an administrator's approval
   * pushed them (a held event stays held through the receiver's bookkeeping).
   * @param {number[]} seqs @param {'queued' | 'held'} [from]
   */
  finishEvents(seqs, from = 'queued') {
    const done = this.#sql("UPDATE queue SET status = 'done', finished_at = ? WHERE seq = ? AND status = ?");
    this.db.transaction(() => seqs.forEach((seq) => done.run(this.#time(), seq, from)))();
  }

  /**
   * A completed sync covers the events held before it started: it read everyone and wrote what
   * was decided. Those whose people all went through are finished; returns how many.
   * @param {number} id @param {string} before  when the sync started @param {Set<string>} failed  Huma ids whose writes failed
   */
  coverHeld(id, before, failed) {
    const covered = this.events(id, 'held').filter((e) => e.at < before && e.ids.every((p) => !failed.has(p))).map((e) => e.seq);
    this.finishEvents(covered, 'held');
    return covered.length;
  }

  /** Holds events for an administrator, with the reason. @param {number[]} seqs @param {string} code @param {string} reason */
  holdEvents(seqs, code, reason) {
    const hold = this.#sql("UPDATE queue SET status = 'held', held_code = ?, held_reason = ? WHERE seq = ? AND status = 'queued'");
    this.db.transaction(() => seqs.forEach((seq) => hold.run(code, reason, seq)))();
  }

  // Leases: one run at a time per connection.

  /**
   * Takes the connection's lease for `ms`; refused (`locked`, naming the holder and until when)
   * while someone else holds an unexpired one. Returns the token to renew and release it with.
   * @param {number} id @param {string} holder @param {number} ms
   */
  takeLease(id, holder, ms) {
    this.#mustExist(id);
    return this.db.transaction(() => {
      const now = this.now();
      const lease = /** @type {any} */ (this.#sql('SELECT holder, expires_at FROM leases WHERE connection_id = ?').get(id));
      if (lease && lease.expires_at > now.toISOString()) {
        throw new CronaSyncError('locked', `${lease.holder} is running on this connection (until ${lease.expires_at} at the latest); wait for it to finish.`, { holder: lease.holder, expiresAt: lease.expires_at });
      }
      const token = randomBytes(16).toString('hex');
      this.#sql('INSERT INTO leases (connection_id, holder, token, taken_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (connection_id) DO UPDATE SET holder = excluded.holder, token = excluded.token, taken_at = excluded.taken_at, expires_at = excluded.expires_at')
        .run(id, holder, token, now.toISOString(), new Date(now.getTime() + ms).toISOString());
      return token;
    })();
  }

  /** Extends a lease this token holds; false when it was lost (expired and taken). @param {number} id @param {string} token @param {number} ms */
  renewLease(id, token, ms) {
    const until = new Date(this.now().getTime() + ms).toISOString();
    return this.#sql('UPDATE leases SET expires_at = ? WHERE connection_id = ? AND token = ?').run(until, id, token).changes === 1;
  }

  /** Whether this token still holds the lease: nobody took it over (it may have run out). @param {number} id @param {string} token */
  holdsLease(id, token) {
    return Boolean(this.#sql('SELECT 1 FROM leases WHERE connection_id = ? AND token = ?').get(id, token));
  }

  /** @param {number} id @param {string} token */
  releaseLease(id, token) {
    this.#sql('DELETE FROM leases WHERE connection_id = ? AND token = ?').run(id, token);
  }

  /** Who holds the connection's lease now, if anyone. @param {number} id */
  lease(id) {
    const row = /** @type {any} */ (this.#sql('SELECT holder, taken_at, expires_at FROM leases WHERE connection_id = ? AND expires_at > ?').get(id, this.#time()));
    return row ? { holder: row.holder, takenAt: row.taken_at, expiresAt: row.expires_at } : null;
  }

  // The service's own settings (the SMTP server); a secret among them is sealed.

  /** A setting's JSON value, or null. @param {string} name */
  setting(name) {
    const row = /** @type {{ value: string } | undefined} */ (this.#sql('SELECT value FROM service_settings WHERE name = ?').get(name));
    return row ? JSON.parse(row.value) : null;
  }

  /** @param {string} name @param {unknown} value  null removes it */
  setSetting(name, value) {
    if (value === null || value === undefined) this.#sql('DELETE FROM service_settings WHERE name = ?').run(name);
    else this.#sql('INSERT INTO service_settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(name, JSON.stringify(value), this.#time());
  }

  /** A service secret in clear (for the mailer only), or null. @param {string} name */
  serviceSecret(name) {
    const sealed = this.setting(name);
    return typeof sealed === 'string' ? open(this.key, sealed, `service ${name}`) : null;
  }

  /** @param {string} name @param {string | null} value  null removes it */
  setServiceSecret(name, value) {
    this.setSetting(name, value ? seal(this.key, value, `service ${name}`) : null);
  }

  // Administrators, their sessions and one-time links. Tokens are kept as hashes only.

  /** @param {string} name @param {string} passwordHash @returns {number} */
  addAdmin(name, passwordHash) {
    if (this.admin(name)) throw new CronaSyncError('admin_exists', `There is already an administrator named ${JSON.stringify(name)}.`, { name });
    return Number(this.#sql('INSERT INTO admins (name, password_hash, created_at) VALUES (?, ?, ?)').run(name, passwordHash, this.#time()).lastInsertRowid);
  }

  /** @param {string} name @returns {{ id: number, name: string, passwordHash: string } | null} */
  admin(name) {
    const row = /** @type {any} */ (this.#sql('SELECT id, name, password_hash FROM admins WHERE name = ?').get(name));
    return row ? { id: row.id, name: row.name, passwordHash: row.password_hash } : null;
  }

  /** @param {number} id @returns {{ id: number, name: string } | null} */
  adminById(id) {
    const row = /** @type {any} */ (this.#sql('SELECT id, name FROM admins WHERE id = ?').get(id));
    return row ? { id: row.id, name: row.name } : null;
  }

  /** Removes an administrator with their sessions and links; false when there is none. @param {string} name */
  removeAdmin(name) {
    return this.#sql('DELETE FROM admins WHERE name = ?').run(name).changes === 1;
  }

  /** How many administrators there are. */
  adminCount() {
    return /** @type {{ n: number }} */ (this.#sql('SELECT count(*) AS n FROM admins').get()).n;
  }

  /** A new password; every session of that administrator ends. @param {number} adminId @param {string} passwordHash */
  setPassword(adminId, passwordHash) {
    this.db.transaction(() => {
      this.#sql('UPDATE admins SET password_hash = ? WHERE id = ?').run(passwordHash, adminId);
      this.#sql('DELETE FROM sessions WHERE admin_id = ?').run(adminId);
    })();
  }

  /** Starts a session; returns its token (for the cookie). @param {number} adminId @param {number} ms */
  createSession(adminId, ms) {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.#sql('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
    this.#sql('INSERT INTO sessions (token_hash, admin_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), adminId, now.toISOString(), new Date(now.getTime() + ms).toISOString());
    return token;
  }

  /** The administrator a session token belongs to, while it lasts. @param {string} token @returns {{ id: number, name: string } | null} */
  sessionAdmin(token) {
    const row = /** @type {any} */ (this.#sql('SELECT a.id, a.name FROM sessions s JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = ? AND s.expires_at > ?').get(hashToken(token), this.#time()));
    return row ? { id: row.id, name: row.name } : null;
  }

  /** @param {string} token */
  endSession(token) {
    this.#sql('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  /**
   * A one-time link's token: 'setup' creates the first administrator (a new one replaces any
   * unused setup link), 'signin' signs one administrator in.
   * @param {'setup' | 'signin'} purpose @param {number | null} adminId @param {number} ms
   */
  createLink(purpose, adminId, ms) {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.db.transaction(() => {
      if (purpose === 'setup') this.#sql("DELETE FROM links WHERE purpose = 'setup' AND used_at IS NULL").run();
      this.#sql('INSERT INTO links (token_hash, purpose, admin_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(hashToken(token), purpose, adminId, now.toISOString(), new Date(now.getTime() + ms).toISOString());
    })();
    return token;
  }

  /** Whether a link would work now, without using it. @param {'setup' | 'signin'} purpose @param {string} token */
  linkValid(purpose, token) {
    return Boolean(this.#sql('SELECT 1 FROM links WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?').get(hashToken(token), purpose, this.#time()));
  }

  /**
   * Uses a link once: true (with its administrator) the first time within its life, false after.
   * @param {'setup' | 'signin'} purpose @param {string} token
   * @returns {{ adminId: number | null } | null}
   */
  useLink(purpose, token) {
    const at = this.#time();
    return this.db.transaction(() => {
      const row = /** @type {any} */ (this.#sql('SELECT admin_id FROM links WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?').get(hashToken(token), purpose, at));
      if (!row) return null;
      this.#sql('UPDATE links SET used_at = ? WHERE token_hash = ?').run(at, hashToken(token));
      return { adminId: row.admin_id };
    })();
  }
}

/** Tokens are stored as their SHA-256: the store's file alone signs no one in. @param {string} token */
function hashToken(token) {
  return createHash('sha256').update(token).digest('hex');
}

/** What a sealed secret is bound to. @param {number} id @param {string} name */
function aad(id, name) {
  return `connection ${id} ${name}`;
}

/**
 * Brings the schema up to date, one migration per transaction.
 * @param {import('better-sqlite3').Database} db
 */
function migrate(db) {
  const at = /** @type {number} */ (db.pragma('user_version', { simple: true }));
  if (at > LATEST) {
    throw new CronaSyncError('store_too_new', `The store is at schema version ${at}, newer than this crona-sync knows (${LATEST}). Use the crona-sync that wrote it, or a newer one.`, { version: at, known: LATEST });
  }
  for (const m of MIGRATIONS.filter((m) => m.version > at)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
