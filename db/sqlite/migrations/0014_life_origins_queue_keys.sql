-- A life's origin (the host and MTA that logged it, and the client it came from) as one id into life_origins: a
-- server has as many as it has clients, and four header bytes and their values become one. The queue-id index keys
-- on a 32-bit key of the stored id (bw_queue_key, db/sqlite/queue-key.ts) instead of the id: 4 bytes instead of 6
-- for Postfix's hex ids and of 16 to 23 for Exim's; the trace compares the id itself as well.

DROP VIEW attempts_full;
DROP VIEW messages;

CREATE TABLE life_origins (
  id          INTEGER PRIMARY KEY,
  host        INTEGER NOT NULL,
  mta         INTEGER NOT NULL,
  client_host INTEGER,
  client_ip   INTEGER
);
-- The writer finds an origin by all its parts (db/sqlite/write/lean-rows.ts), the trace by its host.
CREATE INDEX life_origins_parts ON life_origins (host, mta, client_host, client_ip);

INSERT INTO life_origins (host, mta, client_host, client_ip)
SELECT DISTINCT host, mta, client_host, client_ip FROM message_rows ORDER BY host, mta, client_host, client_ip;

CREATE TABLE message_rows_lean (
  id                INTEGER PRIMARY KEY,
  origin            INTEGER NOT NULL,
  queue_id          NOT NULL,
  first_ts          INTEGER NOT NULL,
  last_after        INTEGER NOT NULL,
  sender            INTEGER,
  sender_domain     INTEGER,
  size              INTEGER,
  nrcpt             INTEGER,
  message_id        TEXT,
  message_domain    INTEGER,
  notification_of   TEXT,
  hop_of            TEXT,
  expired_at        INTEGER,
  closed_after      INTEGER
);
INSERT INTO message_rows_lean (id, origin, queue_id, first_ts, last_after, sender, sender_domain, size, nrcpt,
                               message_id, message_domain, notification_of, hop_of, expired_at, closed_after)
SELECT m.id,
       (SELECT o.id FROM life_origins o
         WHERE o.host = m.host AND o.mta = m.mta AND o.client_host IS m.client_host AND o.client_ip IS m.client_ip),
       m.queue_id, m.first_ts, m.last_after, m.sender, m.sender_domain, m.size, m.nrcpt, m.message_id,
       m.message_domain, m.notification_of, m.hop_of, m.expired_at, m.closed_after
  FROM message_rows m
 ORDER BY m.id;
DROP TABLE message_rows;
ALTER TABLE message_rows_lean RENAME TO message_rows;
DELETE FROM ingest_deferred_indexes WHERE name LIKE 'messages%';

-- Lives: trace by queue id (its key), Message-ID (the key of its stored parts) and sender; the report's expiries;
-- the re-queued lives of a life.
CREATE INDEX messages_queue ON message_rows (bw_queue_key(queue_id));
CREATE INDEX messages_message_id ON message_rows (bw_message_key(message_id, message_domain))
  WHERE message_id IS NOT NULL;
CREATE INDEX messages_sender ON message_rows (sender);
CREATE INDEX messages_expired ON message_rows (expired_at) WHERE expired_at IS NOT NULL;
CREATE INDEX messages_hop_of ON message_rows (hop_of) WHERE hop_of IS NOT NULL;

-- The views that read lives, as in migration 13 (a life's host and client through its origin).

-- Every attempt with its life's fields filled in: read it wherever they are shown.
CREATE VIEW attempts_full AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = r.host) AS host,
       (SELECT name FROM names WHERE id = r.mta) AS mta,
       (SELECT name FROM names WHERE id = r.program) AS program,
       COALESCE(x.queue_id, bw_queue_text(m.queue_id), '') AS queue_id,
       CASE WHEN a.flags & 8 THEN a.recipient
            ELSE a.recipient || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
       x.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       COALESCE(x.sender, (SELECT name FROM names WHERE id = m.sender)) AS sender,
       (SELECT name FROM names WHERE id = COALESCE(x.sender_domain, m.sender_domain)) AS sender_domain,
       CASE a.outcome WHEN 0 THEN 'sent' WHEN 1 THEN 'deferred' WHEN 2 THEN 'bounced' ELSE 'expired' END AS outcome,
       (SELECT name FROM names WHERE id = r.relay_host) AS relay_host,
       (SELECT name FROM names WHERE id = r.relay_ip) AS relay_ip,
       r.port AS port,
       (SELECT name FROM names WHERE id = r.stage) AS stage,
       a.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = a.enhanced_status) AS enhanced_status,
       (SELECT name FROM names WHERE id = CASE a.dsn WHEN 0 THEN a.enhanced_status ELSE a.dsn END) AS dsn,
       bw_reply((SELECT template FROM reply_templates WHERE id = a.reply), a.reply_words) AS diagnostic,
       CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END AS delay,
       (SELECT name FROM names WHERE id = r.transport) AS transport,
       CASE a.class WHEN 0 THEN 'success' WHEN 1 THEN 'temporary' ELSE 'permanent' END AS class,
       (SELECT name FROM names WHERE id = a.cause) AS cause,
       (SELECT name FROM names WHERE id = a.provider) AS provider,
       (SELECT name FROM names WHERE id = x.blocklist) AS blocklist,
       a.hard_bounce AS hard_bounce,
       (SELECT name FROM names WHERE id = x.class_conflict) AS class_conflict,
       COALESCE(x.message_id,
                CASE WHEN m.message_domain IS NULL THEN m.message_id
                     ELSE m.message_id || '@' || (SELECT name FROM names WHERE id = m.message_domain) END) AS message_id,
       a.message_rowid AS message_rowid,
       a.flags & ~8 AS flags
  FROM attempt_rows a JOIN attempt_routes r ON r.id = a.route LEFT JOIN attempt_extras x ON x.id = a.id
  LEFT JOIN message_rows m ON m.id = a.message_rowid;

CREATE VIEW messages AS
SELECT m.id AS id,
       (SELECT name FROM names WHERE id = o.host) AS host,
       (SELECT name FROM names WHERE id = o.mta) AS mta,
       bw_queue_text(m.queue_id) AS queue_id, m.first_ts AS first_ts, m.first_ts + m.last_after AS last_ts,
       (SELECT name FROM names WHERE id = m.sender) AS sender,
       (SELECT name FROM names WHERE id = m.sender_domain) AS sender_domain,
       m.size AS size, m.nrcpt AS nrcpt,
       CASE WHEN m.message_domain IS NULL THEN m.message_id
            ELSE m.message_id || '@' || (SELECT name FROM names WHERE id = m.message_domain) END AS message_id,
       (SELECT name FROM names WHERE id = o.client_host) AS client_host,
       (SELECT name FROM names WHERE id = o.client_ip) AS client_ip,
       m.notification_of AS notification_of, m.expired_at AS expired_at,
       m.first_ts + m.closed_after AS closed_at, m.hop_of AS hop_of
  FROM message_rows m JOIN life_origins o ON o.id = m.origin;
