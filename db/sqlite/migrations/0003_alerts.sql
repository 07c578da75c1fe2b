-- Alerts raised by the running daemon: open ones and recently resolved ones (pruned after alerts.keepDays).
-- evidence is a JSON object (counts, example replies, recommended action). Times are unix milliseconds.

CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  alert_key    TEXT    NOT NULL,
  rule         TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  severity     TEXT    NOT NULL CHECK (severity IN ('warning','critical')),
  state        TEXT    NOT NULL CHECK (state IN ('open','resolved')),
  summary      TEXT    NOT NULL,
  evidence     TEXT    NOT NULL DEFAULT '{}',
  opened_at    INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  notified_at  INTEGER
);
-- At most one open alert per key: the engine's deduplication also holds across restarts.
CREATE UNIQUE INDEX alerts_open_key ON alerts (alert_key) WHERE state = 'open';
CREATE INDEX alerts_state_opened ON alerts (state, opened_at);
CREATE INDEX alerts_resolved ON alerts (resolved_at);

-- One row rewritten by /healthz to prove the database takes writes.
CREATE TABLE ops_heartbeat (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at INTEGER NOT NULL
);
