-- Triage facts: the MTA's warnings by shape, connection-level counts (SASL failures, postscreen, TLS) and what each
-- submitter sent, per hour. Names (logins, addresses, IPs, keys) are stored once in triage_names; id 0 is ''.
CREATE TABLE triage_names (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
INSERT INTO triage_names (id, name) VALUES (0, '');

CREATE TABLE warning_shapes (
  id INTEGER PRIMARY KEY,
  severity TEXT NOT NULL,
  topic TEXT NOT NULL,
  shape TEXT NOT NULL,
  example TEXT NOT NULL,
  UNIQUE (severity, shape)
);

CREATE TABLE warning_hours (
  hour_ts INTEGER NOT NULL,
  shape_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  PRIMARY KEY (hour_ts, shape_id)
) WITHOUT ROWID;

CREATE TABLE session_hours (
  hour_ts INTEGER NOT NULL,
  event TEXT NOT NULL,
  key_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (hour_ts, event, key_id)
) WITHOUT ROWID;

CREATE TABLE sender_hours (
  hour_ts INTEGER NOT NULL,
  sasl_id INTEGER NOT NULL,
  sender_id INTEGER NOT NULL,
  ip_id INTEGER NOT NULL,
  messages INTEGER NOT NULL DEFAULT 0,
  recipients INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  deferred INTEGER NOT NULL DEFAULT 0,
  bounced INTEGER NOT NULL DEFAULT 0,
  reputation INTEGER NOT NULL DEFAULT 0,
  spam INTEGER NOT NULL DEFAULT 0,
  unknown INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_ts, sasl_id, sender_id, ip_id)
) WITHOUT ROWID;
