-- Fewer columns per attempt and no stored keys. An attempt's route (the host and MTA that logged it, the program,
-- the relay's name, address and port, the transport and the stage where it ended) takes a few hundred distinct
-- values on a server: it becomes one id into attempt_routes, eight header bytes and their values become one. The
-- 32-bit keys of a recipient and of a Message-ID are no longer stored columns: their indexes are on expressions
-- (bw_recipient_key, bw_message_key: db/sqlite/text-key.ts) of what the row stores, so every connection that writes
-- these tables has the functions (db/sqlite/functions.ts registers them on every open).

DROP VIEW attempts;
DROP VIEW attempts_full;
DROP VIEW messages;
DROP VIEW message_recipients;

CREATE TABLE attempt_routes (
  id         INTEGER PRIMARY KEY,
  host       INTEGER NOT NULL,
  mta        INTEGER NOT NULL,
  program    INTEGER NOT NULL,
  relay_host INTEGER,
  relay_ip   INTEGER,
  port       INTEGER,
  transport  INTEGER,
  stage      INTEGER
);
-- The writer finds a route by all its parts (db/sqlite/write/lean-rows.ts); the trace's host filter by its host.
CREATE INDEX attempt_routes_parts ON attempt_routes (host, mta, program, relay_host, relay_ip, port, transport, stage);

INSERT INTO attempt_routes (host, mta, program, relay_host, relay_ip, port, transport, stage)
SELECT DISTINCT host, mta, program, relay_host, relay_ip, port, transport, stage FROM attempt_rows
 ORDER BY host, mta, program, relay_host, relay_ip, port, transport, stage;

CREATE TABLE attempt_rows_lean (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  route            INTEGER NOT NULL,
  recipient        TEXT    NOT NULL,
  recipient_domain INTEGER NOT NULL,
  outcome          INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
  reply_code       INTEGER,
  enhanced_status  INTEGER,
  dsn              INTEGER,
  reply            INTEGER NOT NULL,
  reply_words      TEXT,
  delay            INTEGER,
  class            INTEGER NOT NULL CHECK (class BETWEEN 0 AND 2),
  cause            INTEGER,
  provider         INTEGER,
  hard_bounce      INTEGER NOT NULL DEFAULT 0,
  message_rowid    INTEGER,
  flags            INTEGER NOT NULL DEFAULT 0
);
INSERT INTO attempt_rows_lean (id, ts, route, recipient, recipient_domain, outcome, reply_code, enhanced_status, dsn,
                               reply, reply_words, delay, class, cause, provider, hard_bounce, message_rowid, flags)
SELECT a.id, a.ts,
       (SELECT r.id FROM attempt_routes r
         WHERE r.host = a.host AND r.mta = a.mta AND r.program = a.program AND r.relay_host IS a.relay_host
           AND r.relay_ip IS a.relay_ip AND r.port IS a.port AND r.transport IS a.transport AND r.stage IS a.stage),
       a.recipient, a.recipient_domain, a.outcome, a.reply_code, a.enhanced_status, a.dsn, a.reply, a.reply_words,
       a.delay, a.class, a.cause, a.provider, a.hard_bounce, a.message_rowid, a.flags
  FROM attempt_rows a
 ORDER BY a.id;
DROP TABLE attempt_rows;
ALTER TABLE attempt_rows_lean RENAME TO attempt_rows;
DELETE FROM ingest_deferred_indexes WHERE name LIKE 'attempts%';

-- Indexes of attempts, each for the queries named (EXPLAIN QUERY PLAN checked in test/integration/db/migrations.test.ts).
-- Drill-downs (db/sqlite/read/failures.ts) read failures only, the most recent first, by cause, domain, provider, code.
CREATE INDEX attempts_cause_ts ON attempt_rows (cause, ts) WHERE class != 0;
CREATE INDEX attempts_fail_domain_ts ON attempt_rows (recipient_domain, ts) WHERE class != 0;
CREATE INDEX attempts_fail_provider_ts ON attempt_rows (provider, ts) WHERE class != 0;
-- The code of a row is its enhanced status, else its DSN (both names), else its basic code (negated: no clash).
CREATE INDEX attempts_fail_code_ts ON attempt_rows (COALESCE(enhanced_status, dsn, -reply_code), ts) WHERE class != 0;
-- The weekly report's failures of a week (expiries, hard bounces, examples of each cause's replies).
CREATE INDEX attempts_fail_ts ON attempt_rows (ts) WHERE class != 0;
-- Trace: by recipient (the key of its stored parts), by life.
CREATE INDEX attempts_recipient ON attempt_rows (bw_recipient_key(recipient, recipient_domain, flags));
CREATE INDEX attempts_message ON attempt_rows (message_rowid);

CREATE TABLE message_rows_lean (
  id                INTEGER PRIMARY KEY,
  host              INTEGER NOT NULL,
  mta               INTEGER NOT NULL,
  queue_id          NOT NULL,
  first_ts          INTEGER NOT NULL,
  last_after        INTEGER NOT NULL,
  sender            INTEGER,
  sender_domain     INTEGER,
  size              INTEGER,
  nrcpt             INTEGER,
  message_id        TEXT,
  message_domain    INTEGER,
  client_host       INTEGER,
  client_ip         INTEGER,
  notification_of   TEXT,
  hop_of            TEXT,
  expired_at        INTEGER,
  closed_after      INTEGER
);
INSERT INTO message_rows_lean (id, host, mta, queue_id, first_ts, last_after, sender, sender_domain, size, nrcpt,
                               message_id, message_domain, client_host, client_ip, notification_of, hop_of,
                               expired_at, closed_after)
SELECT id, host, mta, queue_id, first_ts, last_after, sender, sender_domain, size, nrcpt, message_id, message_domain,
       client_host, client_ip, notification_of, hop_of, expired_at, closed_after
  FROM message_rows
 ORDER BY id;
DROP TABLE message_rows;
ALTER TABLE message_rows_lean RENAME TO message_rows;
DELETE FROM ingest_deferred_indexes WHERE name LIKE 'messages%';

-- Lives: trace by queue id, Message-ID (the key of its stored parts) and sender; the report's expiries; the
-- re-queued lives of a life.
CREATE INDEX messages_queue ON message_rows (queue_id);
CREATE INDEX messages_message_id ON message_rows (bw_message_key(message_id, message_domain))
  WHERE message_id IS NOT NULL;
CREATE INDEX messages_sender ON message_rows (sender);
CREATE INDEX messages_expired ON message_rows (expired_at) WHERE expired_at IS NOT NULL;
CREATE INDEX messages_hop_of ON message_rows (hop_of) WHERE hop_of IS NOT NULL;

-- The old tables, as views with their columns and values (as in migration 12, the route's parts put back).
CREATE VIEW attempts AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = r.host) AS host,
       (SELECT name FROM names WHERE id = r.mta) AS mta,
       (SELECT name FROM names WHERE id = r.program) AS program,
       COALESCE(x.queue_id, '') AS queue_id,
       CASE WHEN a.flags & 8 THEN a.recipient
            ELSE a.recipient || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
       x.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       x.sender AS sender,
       (SELECT name FROM names WHERE id = x.sender_domain) AS sender_domain,
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
       x.message_id AS message_id,
       a.message_rowid AS message_rowid,
       a.flags & ~8 AS flags
  FROM attempt_rows a JOIN attempt_routes r ON r.id = a.route LEFT JOIN attempt_extras x ON x.id = a.id;

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
       (SELECT name FROM names WHERE id = m.host) AS host,
       (SELECT name FROM names WHERE id = m.mta) AS mta,
       bw_queue_text(m.queue_id) AS queue_id, m.first_ts AS first_ts, m.first_ts + m.last_after AS last_ts,
       (SELECT name FROM names WHERE id = m.sender) AS sender,
       (SELECT name FROM names WHERE id = m.sender_domain) AS sender_domain,
       m.size AS size, m.nrcpt AS nrcpt,
       CASE WHEN m.message_domain IS NULL THEN m.message_id
            ELSE m.message_id || '@' || (SELECT name FROM names WHERE id = m.message_domain) END AS message_id,
       (SELECT name FROM names WHERE id = m.client_host) AS client_host,
       (SELECT name FROM names WHERE id = m.client_ip) AS client_ip,
       m.notification_of AS notification_of, m.expired_at AS expired_at,
       m.first_ts + m.closed_after AS closed_at, m.hop_of AS hop_of
  FROM message_rows m;

-- A recipient's final outcome in a life, from its deliveries (the rules of migrations 5 and 9, on the codes): hops
-- and waits are not attempts. Grouped on the stored parts of the address, put back together once per group.
CREATE VIEW message_recipients AS
SELECT g.message_rowid AS message_rowid,
       CASE WHEN g.whole THEN g.recipient
            ELSE g.recipient || '@' || (SELECT name FROM names WHERE id = g.domain) END AS recipient,
       CASE
         WHEN f.outcome = 2 THEN 'bounced'
         WHEN f.outcome = 3 THEN 'expired'
         WHEN g.first_sent_ts IS NOT NULL THEN 'delivered'
         ELSE 'pending'
       END AS final_outcome,
       g.deferrals AS deferrals,
       g.first_attempt_ts AS first_attempt_ts,
       COALESCE(f.ts, g.first_sent_ts) AS final_ts,
       (SELECT name FROM names WHERE id = l.cause) AS last_cause,
       bw_reply((SELECT template FROM reply_templates WHERE id = l.reply), l.reply_words) AS last_diagnostic
  FROM (SELECT message_rowid,
               recipient,
               recipient_domain AS domain,
               flags & 8 AS whole,
               sum(outcome = 1) AS deferrals,
               min(ts) AS first_attempt_ts,
               min(CASE WHEN outcome = 0 THEN ts END) AS first_sent_ts,
               max(CASE WHEN outcome IN (2, 3) THEN id END) AS final_id,
               max(CASE WHEN outcome IN (1, 2) THEN id END) AS last_id
          FROM attempt_rows
         WHERE message_rowid IS NOT NULL AND NOT (flags & 8 AND recipient = '') AND flags & 3 = 0
         GROUP BY message_rowid, recipient, recipient_domain, flags & 8) g
  LEFT JOIN attempt_rows f ON f.id = g.final_id
  LEFT JOIN attempt_rows l ON l.id = g.last_id;
