-- Triage facts per host, and session events as small codes. A database may hold the logs of several hosts: the
-- Server and Senders views filter by host as the PostgreSQL store does, so each hour's facts are kept per host (a
-- name id in triage_names, 0 for a log that names none). Session events were their names as text in every row
-- (`plain-domain`, 12 bytes): now their code in db/store/triage.ts's SESSION_EVENT_CODES (1 byte).
-- Facts stored before this version say no host. Where every raw row is one host's, they are that host's; a database
-- of several hosts cannot tell them apart, so they keep host 0 and count only when no host is chosen.

INSERT OR IGNORE INTO triage_names (name)
SELECT n.name FROM names n
 WHERE n.id = (SELECT min(host) FROM attempt_routes) AND n.name != ''
   AND (SELECT count(DISTINCT host) FROM attempt_routes) = 1;

CREATE TEMP TABLE triage_upgrade_host AS
SELECT coalesce((SELECT t.id FROM triage_names t JOIN names n ON n.name = t.name
                  WHERE n.id = (SELECT min(host) FROM attempt_routes)
                    AND (SELECT count(DISTINCT host) FROM attempt_routes) = 1), 0) AS id;

CREATE TABLE session_hours_new (
  hour_ts INTEGER NOT NULL,
  event   INTEGER NOT NULL,
  key_id  INTEGER NOT NULL,
  host    INTEGER NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (hour_ts, event, key_id, host)
) WITHOUT ROWID;
INSERT INTO session_hours_new (hour_ts, event, key_id, host, count)
SELECT hour_ts,
       CASE event WHEN 'auth-ip' THEN 1 WHEN 'auth-user' THEN 2 WHEN 'pregreet' THEN 3
                 WHEN 'dnsbl-rank' THEN 4 WHEN 'hangup' THEN 5 WHEN 'pipelining' THEN 6
                 WHEN 'tls-in' THEN 7 WHEN 'tls-out' THEN 8 WHEN 'tls-domain' THEN 9
                 WHEN 'plain-domain' THEN 10 WHEN 'tls-failed-in' THEN 11
                 WHEN 'tls-failed-out' THEN 12 WHEN 'received' THEN 13 WHEN 'received-bytes' THEN 14
                 WHEN 'delivered' THEN 15 WHEN 'delivered-bytes' THEN 16 ELSE 0 END,
       key_id, (SELECT id FROM triage_upgrade_host), count
  FROM session_hours;
DROP TABLE session_hours;
ALTER TABLE session_hours_new RENAME TO session_hours;

CREATE TABLE warning_hours_new (
  hour_ts  INTEGER NOT NULL,
  shape_id INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts  INTEGER NOT NULL,
  PRIMARY KEY (hour_ts, shape_id, host)
) WITHOUT ROWID;
INSERT INTO warning_hours_new (hour_ts, shape_id, host, count, first_ts, last_ts)
SELECT hour_ts, shape_id, (SELECT id FROM triage_upgrade_host), count, first_ts, last_ts FROM warning_hours;
DROP TABLE warning_hours;
ALTER TABLE warning_hours_new RENAME TO warning_hours;

CREATE TABLE sender_hours_new (
  hour_ts    INTEGER NOT NULL,
  sasl_id    INTEGER NOT NULL,
  sender_id  INTEGER NOT NULL,
  ip_id      INTEGER NOT NULL,
  host       INTEGER NOT NULL,
  messages   INTEGER NOT NULL DEFAULT 0,
  recipients INTEGER NOT NULL DEFAULT 0,
  bytes      INTEGER NOT NULL DEFAULT 0,
  sent       INTEGER NOT NULL DEFAULT 0,
  deferred   INTEGER NOT NULL DEFAULT 0,
  bounced    INTEGER NOT NULL DEFAULT 0,
  reputation INTEGER NOT NULL DEFAULT 0,
  spam       INTEGER NOT NULL DEFAULT 0,
  unknown    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_ts, sasl_id, sender_id, ip_id, host)
) WITHOUT ROWID;
INSERT INTO sender_hours_new (hour_ts, sasl_id, sender_id, ip_id, host, messages, recipients, bytes, sent, deferred,
                              bounced, reputation, spam, unknown)
SELECT hour_ts, sasl_id, sender_id, ip_id, (SELECT id FROM triage_upgrade_host), messages, recipients, bytes, sent,
       deferred, bounced, reputation, spam, unknown
  FROM sender_hours;
DROP TABLE sender_hours;
ALTER TABLE sender_hours_new RENAME TO sender_hours;

DROP TABLE triage_upgrade_host;
