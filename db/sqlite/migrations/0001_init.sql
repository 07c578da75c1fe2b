-- bouncewatch schema v1: raw events for drill-down, rollups for charts, checkpoints for ingest.
-- Times are unix milliseconds. Text columns that take part in a rollup key use '' for "none"
-- (SQLite treats NULLs as distinct in UNIQUE constraints).

CREATE TABLE attempts (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  host             TEXT    NOT NULL DEFAULT '',
  mta              TEXT    NOT NULL,
  program          TEXT    NOT NULL,
  queue_id         TEXT    NOT NULL,
  recipient        TEXT    NOT NULL,
  orig_recipient   TEXT,
  recipient_domain TEXT    NOT NULL,
  sender           TEXT,
  sender_domain    TEXT,
  outcome          TEXT    NOT NULL CHECK (outcome IN ('sent','deferred','bounced','expired')),
  relay_host       TEXT,
  relay_ip         TEXT,
  port             INTEGER,
  stage            TEXT,
  reply_code       INTEGER,
  enhanced_status  TEXT,
  dsn              TEXT,
  diagnostic       TEXT    NOT NULL DEFAULT '',
  delay            REAL,
  transport        TEXT,
  class            TEXT    NOT NULL CHECK (class IN ('success','temporary','permanent')),
  cause            TEXT,
  provider         TEXT,
  blocklist        TEXT,
  hard_bounce      INTEGER NOT NULL DEFAULT 0,
  class_conflict   TEXT,
  message_id       TEXT
);
-- Only what a query reads (checked with EXPLAIN QUERY PLAN): time ranges (reports, health, retention), the
-- cause drill-down (failures only: its query says class != 'success'), trace by queue id and recipient. Domain
-- and provider drill-downs read the failure-only indexes of 0002; full (domain, ts) and (provider, ts)
-- indexes were never chosen and cost a sort per bulk import and a B-tree insert per row.
CREATE INDEX attempts_ts ON attempts (ts);
CREATE INDEX attempts_cause_ts ON attempts (cause, ts) WHERE class != 'success';
CREATE INDEX attempts_queue ON attempts (queue_id);
CREATE INDEX attempts_recipient ON attempts (recipient);

CREATE TABLE rejects (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  host             TEXT    NOT NULL DEFAULT '',
  mta              TEXT    NOT NULL,
  program          TEXT    NOT NULL,
  queue_id         TEXT,
  action           TEXT    NOT NULL,
  client_host      TEXT,
  client_ip        TEXT,
  helo             TEXT,
  sender           TEXT,
  recipient        TEXT,
  recipient_domain TEXT,
  stage            TEXT,
  reply_code       INTEGER,
  enhanced_status  TEXT,
  diagnostic       TEXT    NOT NULL DEFAULT '',
  class            TEXT    NOT NULL,
  cause            TEXT
);
CREATE INDEX rejects_ts ON rejects (ts);

-- One row per message life (a queue id between its first line and its `removed`/`Completed`).
CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  host              TEXT    NOT NULL DEFAULT '',
  mta               TEXT    NOT NULL,
  queue_id          TEXT    NOT NULL,
  first_ts          INTEGER NOT NULL,
  last_ts           INTEGER NOT NULL,
  sender            TEXT,
  sender_domain     TEXT,
  size              INTEGER,
  nrcpt             INTEGER,
  message_id        TEXT,
  client_host       TEXT,
  client_ip         TEXT,
  -- queue id of the message this one is a non-delivery/delay notification for
  notification_of   TEXT,
  expired_at        INTEGER,
  closed_at         INTEGER
);
CREATE INDEX messages_queue ON messages (queue_id);
-- Retention prunes by first line (ingest reads the open lives once at start with a scan: no index to keep up).
CREATE INDEX messages_first_ts ON messages (first_ts);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_sender ON messages (sender);

-- Final outcome per message and recipient.
CREATE TABLE message_recipients (
  message_rowid   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  recipient       TEXT    NOT NULL,
  final_outcome   TEXT    NOT NULL CHECK (final_outcome IN ('delivered','bounced','expired','pending')),
  deferrals       INTEGER NOT NULL DEFAULT 0,
  first_attempt_ts INTEGER,
  final_ts        INTEGER,
  last_cause      TEXT,
  last_diagnostic TEXT,
  PRIMARY KEY (message_rowid, recipient)
) WITHOUT ROWID; -- clustered on its key: an upsert touches one B-tree, not a table and an index

-- Rollups: one row per bucket x key, counts added in the same transaction as the raw rows.
-- outcome: sent | deferred | bounced | expired | rejected. code: enhanced status, else basic code, else ''.
CREATE TABLE rollups_minute (
  bucket   INTEGER NOT NULL,
  host     TEXT NOT NULL,
  domain   TEXT NOT NULL,
  provider TEXT NOT NULL,
  outcome  TEXT NOT NULL,
  class    TEXT NOT NULL,
  cause    TEXT NOT NULL,
  code     TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;
CREATE TABLE rollups_hour (
  bucket   INTEGER NOT NULL,
  host     TEXT NOT NULL,
  domain   TEXT NOT NULL,
  provider TEXT NOT NULL,
  outcome  TEXT NOT NULL,
  class    TEXT NOT NULL,
  cause    TEXT NOT NULL,
  code     TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;
CREATE TABLE rollups_day (
  bucket   INTEGER NOT NULL,
  host     TEXT NOT NULL,
  domain   TEXT NOT NULL,
  provider TEXT NOT NULL,
  outcome  TEXT NOT NULL,
  class    TEXT NOT NULL,
  cause    TEXT NOT NULL,
  code     TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;

-- Lines read but not understood: counts per program and the first samples of each shape.
CREATE TABLE unparsed_counts (
  program TEXT PRIMARY KEY,
  count   INTEGER NOT NULL
);
CREATE TABLE unparsed_samples (
  id      INTEGER PRIMARY KEY,
  program TEXT NOT NULL,
  shape   TEXT NOT NULL,
  reason  TEXT NOT NULL,
  line    TEXT NOT NULL,
  ts      INTEGER,
  count   INTEGER NOT NULL DEFAULT 1,
  UNIQUE (program, shape)
);

-- Counters of lines by kind and severity (read, recorded, ignored, warnings, fatal...).
CREATE TABLE line_stats (
  name  TEXT PRIMARY KEY,
  count INTEGER NOT NULL
);

-- Where ingest stands in each log file. fingerprint is '<n>:<sha1 of the first n bytes>' (n <= 1024,
-- of the decompressed text for .gz), offset the byte position after the last complete line read. Saved in the same transaction as the events it covers.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  path        TEXT    NOT NULL,
  inode       INTEGER,
  fingerprint TEXT    NOT NULL,
  offset      INTEGER NOT NULL DEFAULT 0,
  size        INTEGER,
  lines       INTEGER NOT NULL DEFAULT 0,
  complete    INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL,
  -- journald: the cursor of the last entry stored (path is 'journal:<units>').
  cursor      TEXT,
  UNIQUE (fingerprint)
);
CREATE INDEX sources_path ON sources (path);

-- Secondary indexes set aside by a bulk import (recreated at its end, or at the next start after a crash).
CREATE TABLE ingest_deferred_indexes (
  name TEXT PRIMARY KEY,
  sql  TEXT NOT NULL
);
