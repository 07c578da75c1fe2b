-- Lean rows: the raw tables store each repeated label once. Hosts, programs, domains, relays, stages, codes,
-- transports, causes, providers and the like become ids into `names`; outcomes and classes small fixed codes; a
-- reply text becomes the id of its template (the text with each word that holds a digit or an '@' cut out, kept
-- once in `reply_templates`) and those words, in the row. On 1M generated lines this takes the attempts table from
-- about 220 to about 100 bytes a row. The old tables become views of the same name and columns, so every reader
-- sees what it saw before; queries that need an index on a coded column read the `_rows` tables themselves.
-- bw_reply(template, words) puts a reply back together; each connection registers it (db/sqlite/functions.ts).

CREATE TABLE names (
  id   INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
CREATE TABLE reply_templates (
  id       INTEGER PRIMARY KEY,
  template TEXT    NOT NULL UNIQUE
);

-- Codes: outcome 0 sent, 1 deferred, 2 bounced, 3 expired; class 0 success, 1 temporary, 2 permanent. delay is in
-- hundredths of a second (an integer, 1 or 2 bytes) unless that would change it: then it is the seconds (a real).
-- recipient_key is bw_key(recipient): the trace's recipient index holds it, not the text (db/sqlite/text-key.ts).
-- queue_id, sender, sender_domain and message_id are NULL when they are the life's (messages holds them). A life's
-- sender is a name: a server sends for few senders, and the sender index then keys on a number.
CREATE TABLE attempt_rows (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  host             INTEGER NOT NULL,
  mta              INTEGER NOT NULL,
  program          INTEGER NOT NULL,
  queue_id         TEXT,
  recipient        TEXT    NOT NULL,
  recipient_key    INTEGER NOT NULL,
  orig_recipient   TEXT,
  recipient_domain INTEGER NOT NULL,
  sender           TEXT,
  sender_domain    INTEGER,
  outcome          INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
  relay_host       INTEGER,
  relay_ip         INTEGER,
  port             INTEGER,
  stage            INTEGER,
  reply_code       INTEGER,
  enhanced_status  INTEGER,
  dsn              INTEGER,
  reply            INTEGER NOT NULL,
  reply_words      TEXT,
  delay            INTEGER,
  transport        INTEGER,
  class            INTEGER NOT NULL CHECK (class BETWEEN 0 AND 2),
  cause            INTEGER,
  provider         INTEGER,
  blocklist        INTEGER,
  hard_bounce      INTEGER NOT NULL DEFAULT 0,
  class_conflict   INTEGER,
  message_id       TEXT,
  message_rowid    INTEGER,
  flags            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reject_rows (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  host             INTEGER NOT NULL,
  mta              INTEGER NOT NULL,
  program          INTEGER NOT NULL,
  queue_id         TEXT,
  action           INTEGER NOT NULL,
  client_host      INTEGER,
  client_ip        INTEGER,
  helo             INTEGER,
  sender           TEXT,
  recipient        TEXT,
  recipient_domain INTEGER,
  stage            INTEGER,
  reply_code       INTEGER,
  enhanced_status  INTEGER,
  reply            INTEGER NOT NULL,
  reply_words      TEXT,
  class            INTEGER NOT NULL CHECK (class BETWEEN 0 AND 2),
  cause            INTEGER
);

CREATE TABLE message_rows (
  id                INTEGER PRIMARY KEY,
  host              INTEGER NOT NULL,
  mta               INTEGER NOT NULL,
  queue_id          TEXT    NOT NULL,
  first_ts          INTEGER NOT NULL,
  -- Milliseconds after first_ts: a life lasts seconds or minutes, which take 1 to 3 bytes rather than 6.
  last_after        INTEGER NOT NULL,
  sender            INTEGER,
  sender_domain     INTEGER,
  size              INTEGER,
  nrcpt             INTEGER,
  message_id        TEXT,
  message_key       INTEGER,
  client_host       INTEGER,
  client_ip         INTEGER,
  notification_of   TEXT,
  hop_of            TEXT,
  expired_at        INTEGER,
  closed_after      INTEGER
);

-- Every label of the rows stored so far, once.
INSERT OR IGNORE INTO names (name)
SELECT v FROM (
  SELECT host AS v FROM attempts UNION SELECT mta FROM attempts UNION SELECT program FROM attempts
  UNION SELECT recipient_domain FROM attempts UNION SELECT sender_domain FROM attempts
  UNION SELECT relay_host FROM attempts UNION SELECT relay_ip FROM attempts UNION SELECT stage FROM attempts
  UNION SELECT enhanced_status FROM attempts UNION SELECT dsn FROM attempts UNION SELECT transport FROM attempts
  UNION SELECT cause FROM attempts UNION SELECT provider FROM attempts UNION SELECT blocklist FROM attempts
  UNION SELECT class_conflict FROM attempts
  UNION SELECT host FROM rejects UNION SELECT mta FROM rejects UNION SELECT program FROM rejects
  UNION SELECT action FROM rejects UNION SELECT client_host FROM rejects UNION SELECT client_ip FROM rejects
  UNION SELECT helo FROM rejects UNION SELECT recipient_domain FROM rejects UNION SELECT stage FROM rejects
  UNION SELECT enhanced_status FROM rejects UNION SELECT cause FROM rejects
  UNION SELECT host FROM messages UNION SELECT mta FROM messages UNION SELECT sender FROM messages
  UNION SELECT sender_domain FROM messages
  UNION SELECT client_host FROM messages UNION SELECT client_ip FROM messages
) WHERE v IS NOT NULL ORDER BY v;

INSERT OR IGNORE INTO reply_templates (template)
SELECT t FROM (
  SELECT bw_reply_template(diagnostic) AS t FROM attempts UNION SELECT bw_reply_template(diagnostic) FROM rejects
) ORDER BY t;

INSERT INTO message_rows (id, host, mta, queue_id, first_ts, last_after, sender, sender_domain, size, nrcpt,
                          message_id, message_key, client_host, client_ip, notification_of, hop_of, expired_at,
                          closed_after)
SELECT id, (SELECT id FROM names WHERE name = m.host), (SELECT id FROM names WHERE name = m.mta), queue_id,
       first_ts, last_ts - first_ts, (SELECT id FROM names WHERE name = m.sender),
       (SELECT id FROM names WHERE name = m.sender_domain), size, nrcpt, message_id, bw_key(message_id),
       (SELECT id FROM names WHERE name = m.client_host), (SELECT id FROM names WHERE name = m.client_ip),
       notification_of, hop_of, expired_at, closed_at - first_ts
  FROM messages m ORDER BY id;

INSERT INTO attempt_rows (id, ts, host, mta, program, queue_id, recipient, recipient_key, orig_recipient,
                          recipient_domain, sender,
                          sender_domain, outcome, relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn,
                          reply, reply_words, delay, transport, class, cause, provider, blocklist, hard_bounce,
                          class_conflict, message_id, message_rowid, flags)
SELECT id, ts, (SELECT id FROM names WHERE name = a.host), (SELECT id FROM names WHERE name = a.mta),
       (SELECT id FROM names WHERE name = a.program), NULLIF(queue_id, ''), recipient, bw_key(recipient),
       orig_recipient,
       (SELECT id FROM names WHERE name = a.recipient_domain), sender,
       (SELECT id FROM names WHERE name = a.sender_domain),
       CASE outcome WHEN 'sent' THEN 0 WHEN 'deferred' THEN 1 WHEN 'bounced' THEN 2 WHEN 'expired' THEN 3 END,
       (SELECT id FROM names WHERE name = a.relay_host), (SELECT id FROM names WHERE name = a.relay_ip), port,
       (SELECT id FROM names WHERE name = a.stage), reply_code,
       (SELECT id FROM names WHERE name = a.enhanced_status), (SELECT id FROM names WHERE name = a.dsn),
       (SELECT id FROM reply_templates WHERE template = bw_reply_template(a.diagnostic)),
       bw_reply_words(a.diagnostic),
       CASE WHEN CAST(round(delay * 100) AS INTEGER) / 100.0 = delay THEN CAST(round(delay * 100) AS INTEGER)
            ELSE delay END,
       (SELECT id FROM names WHERE name = a.transport),
       CASE class WHEN 'success' THEN 0 WHEN 'temporary' THEN 1 WHEN 'permanent' THEN 2 END,
       (SELECT id FROM names WHERE name = a.cause), (SELECT id FROM names WHERE name = a.provider),
       (SELECT id FROM names WHERE name = a.blocklist), hard_bounce,
       (SELECT id FROM names WHERE name = a.class_conflict), message_id, message_rowid, flags
  FROM attempts a ORDER BY id;

INSERT INTO reject_rows (id, ts, host, mta, program, queue_id, action, client_host, client_ip, helo, sender,
                         recipient, recipient_domain, stage, reply_code, enhanced_status, reply, reply_words, class,
                         cause)
SELECT id, ts, (SELECT id FROM names WHERE name = r.host), (SELECT id FROM names WHERE name = r.mta),
       (SELECT id FROM names WHERE name = r.program), queue_id, (SELECT id FROM names WHERE name = r.action),
       (SELECT id FROM names WHERE name = r.client_host), (SELECT id FROM names WHERE name = r.client_ip),
       (SELECT id FROM names WHERE name = r.helo), sender, recipient,
       (SELECT id FROM names WHERE name = r.recipient_domain), (SELECT id FROM names WHERE name = r.stage),
       reply_code, (SELECT id FROM names WHERE name = r.enhanced_status),
       (SELECT id FROM reply_templates WHERE template = bw_reply_template(r.diagnostic)),
       bw_reply_words(r.diagnostic),
       CASE class WHEN 'success' THEN 0 WHEN 'temporary' THEN 1 WHEN 'permanent' THEN 2 END,
       (SELECT id FROM names WHERE name = r.cause)
  FROM rejects r ORDER BY id;

DROP VIEW message_recipients;
DROP VIEW attempts_full;
DROP TABLE attempts;
DROP TABLE rejects;
DROP TABLE messages;
-- Indexes a crashed bulk import set aside belonged to the tables just dropped; those below replace them.
DELETE FROM ingest_deferred_indexes;

-- Indexes, each for the queries named (EXPLAIN QUERY PLAN checked in test/integration/db/migrations.test.ts).
-- Time ranges: raw minute cells older than the minute rollups, the newest event, retention, the first raw row.
CREATE INDEX attempts_ts ON attempt_rows (ts);
-- Drill-downs (db/sqlite/read/failures.ts) read failures only, the most recent first, by cause, domain, provider, code.
CREATE INDEX attempts_cause_ts ON attempt_rows (cause, ts) WHERE class != 0;
CREATE INDEX attempts_fail_domain_ts ON attempt_rows (recipient_domain, ts) WHERE class != 0;
CREATE INDEX attempts_fail_provider_ts ON attempt_rows (provider, ts) WHERE class != 0;
-- The code of a row is its enhanced status, else its DSN (both names), else its basic code (negated: no clash).
CREATE INDEX attempts_fail_code_ts ON attempt_rows (COALESCE(enhanced_status, dsn, -reply_code), ts) WHERE class != 0;
-- The weekly report's failures of a week (expiries, hard bounces, examples of each cause's replies).
CREATE INDEX attempts_fail_ts ON attempt_rows (ts) WHERE class != 0;
-- Trace: attempts stored with a queue id of their own, by recipient, by original recipient, by life.
CREATE INDEX attempts_queue ON attempt_rows (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX attempts_recipient ON attempt_rows (recipient_key);
CREATE INDEX attempts_orig_recipient ON attempt_rows (orig_recipient) WHERE orig_recipient IS NOT NULL;
CREATE INDEX attempts_message ON attempt_rows (message_rowid);

-- Rejects: time ranges; drill-down by domain, cause and code; trace by queue id, recipient and sender.
CREATE INDEX rejects_ts ON reject_rows (ts);
CREATE INDEX rejects_domain_ts ON reject_rows (recipient_domain, ts);
CREATE INDEX rejects_cause_ts ON reject_rows (cause, ts);
CREATE INDEX rejects_status_ts ON reject_rows (enhanced_status, ts);
CREATE INDEX rejects_reply_ts ON reject_rows (reply_code, ts);
CREATE INDEX rejects_queue ON reject_rows (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX rejects_recipient ON reject_rows (recipient);
CREATE INDEX rejects_sender ON reject_rows (sender);

-- Lives: trace by queue id, Message-ID (its key) and sender; retention by first line; the report's expiries.
CREATE INDEX messages_queue ON message_rows (queue_id);
CREATE INDEX messages_first_ts ON message_rows (first_ts);
CREATE INDEX messages_message_id ON message_rows (message_key) WHERE message_key IS NOT NULL;
CREATE INDEX messages_sender ON message_rows (sender);
CREATE INDEX messages_expired ON message_rows (expired_at) WHERE expired_at IS NOT NULL;
-- The trace joins a life to the one it was re-queued from (a hop's `queued as`, migration 9).
CREATE INDEX messages_hop_of ON message_rows (hop_of) WHERE hop_of IS NOT NULL;

-- The old tables, as views with their columns and values.
CREATE VIEW attempts AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = a.host) AS host,
       (SELECT name FROM names WHERE id = a.mta) AS mta,
       (SELECT name FROM names WHERE id = a.program) AS program,
       COALESCE(a.queue_id, '') AS queue_id,
       a.recipient AS recipient, a.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       a.sender AS sender,
       (SELECT name FROM names WHERE id = a.sender_domain) AS sender_domain,
       CASE a.outcome WHEN 0 THEN 'sent' WHEN 1 THEN 'deferred' WHEN 2 THEN 'bounced' ELSE 'expired' END AS outcome,
       (SELECT name FROM names WHERE id = a.relay_host) AS relay_host,
       (SELECT name FROM names WHERE id = a.relay_ip) AS relay_ip,
       a.port AS port,
       (SELECT name FROM names WHERE id = a.stage) AS stage,
       a.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = a.enhanced_status) AS enhanced_status,
       (SELECT name FROM names WHERE id = a.dsn) AS dsn,
       bw_reply((SELECT template FROM reply_templates WHERE id = a.reply), a.reply_words) AS diagnostic,
       CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END AS delay,
       (SELECT name FROM names WHERE id = a.transport) AS transport,
       CASE a.class WHEN 0 THEN 'success' WHEN 1 THEN 'temporary' ELSE 'permanent' END AS class,
       (SELECT name FROM names WHERE id = a.cause) AS cause,
       (SELECT name FROM names WHERE id = a.provider) AS provider,
       (SELECT name FROM names WHERE id = a.blocklist) AS blocklist,
       a.hard_bounce AS hard_bounce,
       (SELECT name FROM names WHERE id = a.class_conflict) AS class_conflict,
       a.message_id AS message_id,
       a.message_rowid AS message_rowid,
       a.flags AS flags
  FROM attempt_rows a;

-- Every attempt with its life's fields filled in: read it wherever they are shown.
CREATE VIEW attempts_full AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = a.host) AS host,
       (SELECT name FROM names WHERE id = a.mta) AS mta,
       (SELECT name FROM names WHERE id = a.program) AS program,
       COALESCE(a.queue_id, m.queue_id, '') AS queue_id,
       a.recipient AS recipient, a.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       COALESCE(a.sender, (SELECT name FROM names WHERE id = m.sender)) AS sender,
       (SELECT name FROM names WHERE id = COALESCE(a.sender_domain, m.sender_domain)) AS sender_domain,
       CASE a.outcome WHEN 0 THEN 'sent' WHEN 1 THEN 'deferred' WHEN 2 THEN 'bounced' ELSE 'expired' END AS outcome,
       (SELECT name FROM names WHERE id = a.relay_host) AS relay_host,
       (SELECT name FROM names WHERE id = a.relay_ip) AS relay_ip,
       a.port AS port,
       (SELECT name FROM names WHERE id = a.stage) AS stage,
       a.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = a.enhanced_status) AS enhanced_status,
       (SELECT name FROM names WHERE id = a.dsn) AS dsn,
       bw_reply((SELECT template FROM reply_templates WHERE id = a.reply), a.reply_words) AS diagnostic,
       CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END AS delay,
       (SELECT name FROM names WHERE id = a.transport) AS transport,
       CASE a.class WHEN 0 THEN 'success' WHEN 1 THEN 'temporary' ELSE 'permanent' END AS class,
       (SELECT name FROM names WHERE id = a.cause) AS cause,
       (SELECT name FROM names WHERE id = a.provider) AS provider,
       (SELECT name FROM names WHERE id = a.blocklist) AS blocklist,
       a.hard_bounce AS hard_bounce,
       (SELECT name FROM names WHERE id = a.class_conflict) AS class_conflict,
       COALESCE(a.message_id, m.message_id) AS message_id,
       a.message_rowid AS message_rowid,
       a.flags AS flags
  FROM attempt_rows a LEFT JOIN message_rows m ON m.id = a.message_rowid;

CREATE VIEW rejects AS
SELECT r.id AS id, r.ts AS ts,
       (SELECT name FROM names WHERE id = r.host) AS host,
       (SELECT name FROM names WHERE id = r.mta) AS mta,
       (SELECT name FROM names WHERE id = r.program) AS program,
       r.queue_id AS queue_id,
       (SELECT name FROM names WHERE id = r.action) AS action,
       (SELECT name FROM names WHERE id = r.client_host) AS client_host,
       (SELECT name FROM names WHERE id = r.client_ip) AS client_ip,
       (SELECT name FROM names WHERE id = r.helo) AS helo,
       r.sender AS sender, r.recipient AS recipient,
       (SELECT name FROM names WHERE id = r.recipient_domain) AS recipient_domain,
       (SELECT name FROM names WHERE id = r.stage) AS stage,
       r.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = r.enhanced_status) AS enhanced_status,
       bw_reply((SELECT template FROM reply_templates WHERE id = r.reply), r.reply_words) AS diagnostic,
       CASE r.class WHEN 0 THEN 'success' WHEN 1 THEN 'temporary' ELSE 'permanent' END AS class,
       (SELECT name FROM names WHERE id = r.cause) AS cause
  FROM reject_rows r;

CREATE VIEW messages AS
SELECT m.id AS id,
       (SELECT name FROM names WHERE id = m.host) AS host,
       (SELECT name FROM names WHERE id = m.mta) AS mta,
       m.queue_id AS queue_id, m.first_ts AS first_ts, m.first_ts + m.last_after AS last_ts,
       (SELECT name FROM names WHERE id = m.sender) AS sender,
       (SELECT name FROM names WHERE id = m.sender_domain) AS sender_domain,
       m.size AS size, m.nrcpt AS nrcpt, m.message_id AS message_id,
       (SELECT name FROM names WHERE id = m.client_host) AS client_host,
       (SELECT name FROM names WHERE id = m.client_ip) AS client_ip,
       m.notification_of AS notification_of, m.expired_at AS expired_at,
       m.first_ts + m.closed_after AS closed_at, m.hop_of AS hop_of
  FROM message_rows m;

-- A recipient's final outcome in a life, from its deliveries (the rules of migrations 5 and 9, on the codes): hops
-- and waits are not attempts.
CREATE VIEW message_recipients AS
SELECT g.message_rowid AS message_rowid,
       g.recipient AS recipient,
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
               sum(outcome = 1) AS deferrals,
               min(ts) AS first_attempt_ts,
               min(CASE WHEN outcome = 0 THEN ts END) AS first_sent_ts,
               max(CASE WHEN outcome IN (2, 3) THEN id END) AS final_id,
               max(CASE WHEN outcome IN (1, 2) THEN id END) AS last_id
          FROM attempt_rows
         WHERE message_rowid IS NOT NULL AND recipient != '' AND flags & 3 = 0
         GROUP BY message_rowid, recipient) g
  LEFT JOIN attempt_rows f ON f.id = g.final_id
  LEFT JOIN attempt_rows l ON l.id = g.last_id;
