// The store's schema, as numbered migrations. Each runs once, in its own transaction, and
// leaves `PRAGMA user_version` at its number: a store of any earlier version is brought up to
// date at start, and a store newer than this code is refused rather than misread.

/** @type {{ version: number, what: string, sql: string }[]} */
export const MIGRATIONS = [
  {
    version: 1,
    what: 'connections, sealed secrets, versioned state, runs, error log, webhook queue, leases, admins',
    sql: `
      CREATE TABLE connections (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        settings   TEXT NOT NULL,            -- JSON, no secrets: base URLs, client id, company, scope
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE secrets (
        connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,         -- huma.clientSecret, crona.apiKey, crona.activationCode, webhook.secret
        sealed        TEXT NOT NULL,         -- AES-256-GCM (seal.js), bound to connection and name
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, name)
      );
      CREATE TABLE states (
        connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        version       INTEGER NOT NULL,      -- a save names the version it started from
        state         TEXT NOT NULL,         -- the core's nextState, JSON
        saved_at      TEXT NOT NULL
      );
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('sync', 'push', 'webhook', 'scheduled', 'drift')),
        started_by    TEXT NOT NULL,         -- an administrator, 'cli', 'webhooks', 'schedule'
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        outcome       TEXT,                  -- done, failed, refused, held, … (null while running)
        summary       TEXT,
        report        TEXT                   -- the core's report, JSON: the audit trail
      );
      CREATE TABLE errors (
        id            INTEGER PRIMARY KEY,
        connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        at            TEXT NOT NULL,
        entry         TEXT NOT NULL          -- JSON: who, system, status, code, message
      );
      CREATE TABLE queue (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after a delete
        connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        at            TEXT NOT NULL,
        topic         TEXT NOT NULL,
        ids           TEXT NOT NULL,         -- JSON array of Huma user ids
        status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'held', 'done')),
        held_code     TEXT,
        held_reason   TEXT,
        finished_at   TEXT
      );
      CREATE TABLE leases (
        connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        holder        TEXT NOT NULL,         -- who runs: 'admin anna (page)', 'cli sync (pid 123)'
        token         TEXT NOT NULL,
        taken_at      TEXT NOT NULL,
        expires_at    TEXT NOT NULL
      );
      CREATE TABLE admins (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,         -- scrypt
        created_at    TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    what: 'indexes for the pages that list runs, errors and the queue per connection',
    sql: `
      CREATE INDEX runs_by_connection ON runs (connection_id, id DESC);
      CREATE INDEX errors_by_connection ON errors (connection_id, id DESC);
      CREATE INDEX queue_by_status ON queue (connection_id, status, seq);
    `,
  },
  {
    version: 3,
    what: 'administrators\' sessions and one-time links (setup, sign-in), kept as hashes of their tokens',
    sql: `
      CREATE TABLE sessions (
        token_hash    TEXT PRIMARY KEY,      -- SHA-256 of the cookie's token: a copy of the file signs no one in
        admin_id      INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
        created_at    TEXT NOT NULL,
        expires_at    TEXT NOT NULL
      );
      CREATE TABLE links (
        token_hash    TEXT PRIMARY KEY,
        purpose       TEXT NOT NULL CHECK (purpose IN ('setup', 'signin')),
        admin_id      INTEGER REFERENCES admins(id) ON DELETE CASCADE,  -- null for the setup link
        created_at    TEXT NOT NULL,
        expires_at    TEXT NOT NULL,
        used_at       TEXT                   -- a link works once
      );
    `,
  },
  {
    version: 4,
    what: 'a run knows its lease (as a hash) and the state version it started from',
    sql: `
      ALTER TABLE runs ADD COLUMN lease_hash TEXT;   -- SHA-256 of the lease token the run holds
      ALTER TABLE runs ADD COLUMN based_on INTEGER;  -- the state version handed to the run
    `,
  },
  {
    version: 5,
    what: 'the service\'s own settings (the SMTP server), secrets among them sealed',
    sql: `
      CREATE TABLE service_settings (
        name          TEXT PRIMARY KEY,      -- smtp: JSON { host, port, tls, user, from }; smtp.password: sealed
        value         TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
    `,
  },
];

/** The schema version this code writes. */
export const LATEST = MIGRATIONS.length ? MIGRATIONS[MIGRATIONS.length - 1].version : 0;
