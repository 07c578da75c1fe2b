-- Lean texts: the parts of an attempt's recipient and of a life's Message-ID that other columns already say are not
-- stored again. An attempt keeps its recipient without `@<recipient domain>` (that domain is the row's name id); the
-- rare recipient that does not end so is kept whole and flagged (flags bit 8), so the common row's flags stay 0. A
-- life keeps its Message-ID's left-hand side and the right-hand side (the host that made it: a few per server) as a
-- name id in message_domain. The keys of both (recipient_key, message_key) are of the whole text, as before.
-- An attempt's DSN that repeats its enhanced status (Postfix's dsn= nearly always does) is stored as 0, no byte.
-- An attempt's columns that are nearly always empty (its own queue id, original recipient, sender, sender domain,
-- Message-ID, blocklist and class conflict) move to attempt_extras, a row only for the attempts that have one: an
-- empty column still costs a byte of every row's header.

-- The views over the tables rebuilt below go first (they are made again at the end).
DROP VIEW attempts;
DROP VIEW attempts_full;
DROP VIEW messages;
DROP VIEW message_recipients;

INSERT OR IGNORE INTO names (name)
SELECT DISTINCT substr(message_id, instr(message_id, '@') + 1) FROM message_rows WHERE instr(message_id, '@') > 0;

-- A life's queue id in Postfix's short form (upper-case hex) is stored as an integer (db/sqlite/queue-key.ts): 6
-- bytes instead of 10 to 12, in the row and in messages_queue; the column has no type, so SQLite keeps either form as
-- given. bw_queue gives the stored form, bw_queue_text the id back.
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
  message_key       INTEGER,
  message_domain    INTEGER,
  client_host       INTEGER,
  client_ip         INTEGER,
  notification_of   TEXT,
  hop_of            TEXT,
  expired_at        INTEGER,
  closed_after      INTEGER
);
INSERT INTO message_rows_lean (id, host, mta, queue_id, first_ts, last_after, sender, sender_domain, size, nrcpt,
                               message_id, message_key, message_domain, client_host, client_ip, notification_of, hop_of,
                               expired_at, closed_after)
SELECT id, host, mta, bw_queue(queue_id), first_ts, last_after, sender, sender_domain, size, nrcpt,
       CASE WHEN instr(message_id, '@') > 0 THEN substr(message_id, 1, instr(message_id, '@') - 1) ELSE message_id END,
       message_key,
       CASE WHEN instr(message_id, '@') > 0
            THEN (SELECT id FROM names WHERE name = substr(m.message_id, instr(m.message_id, '@') + 1)) END,
       client_host, client_ip, notification_of, hop_of, expired_at, closed_after
  FROM message_rows m
 ORDER BY id;
DROP TABLE message_rows;
ALTER TABLE message_rows_lean RENAME TO message_rows;
DELETE FROM ingest_deferred_indexes WHERE name LIKE 'messages%';

-- Lives: trace by queue id, Message-ID (its key) and sender; the report's expiries; the re-queued lives of a life.
-- Retention finds old lives through their time blocks (below), not an index.
CREATE INDEX messages_queue ON message_rows (queue_id);
CREATE INDEX messages_message_id ON message_rows (message_key) WHERE message_key IS NOT NULL;
CREATE INDEX messages_sender ON message_rows (sender);
CREATE INDEX messages_expired ON message_rows (expired_at) WHERE expired_at IS NOT NULL;
CREATE INDEX messages_hop_of ON message_rows (hop_of) WHERE hop_of IS NOT NULL;

CREATE TABLE attempt_extras (
  id             INTEGER PRIMARY KEY,
  queue_id       TEXT,
  orig_recipient TEXT,
  sender         TEXT,
  sender_domain  INTEGER,
  blocklist      INTEGER,
  class_conflict INTEGER,
  message_id     TEXT
);
INSERT INTO attempt_extras (id, queue_id, orig_recipient, sender, sender_domain, blocklist, class_conflict, message_id)
SELECT id, queue_id, orig_recipient, sender, sender_domain, blocklist, class_conflict, message_id FROM attempt_rows
 WHERE queue_id IS NOT NULL OR orig_recipient IS NOT NULL OR sender IS NOT NULL OR sender_domain IS NOT NULL
    OR blocklist IS NOT NULL OR class_conflict IS NOT NULL OR message_id IS NOT NULL;

CREATE TABLE attempt_rows_lean (
  id               INTEGER PRIMARY KEY,
  ts               INTEGER NOT NULL,
  host             INTEGER NOT NULL,
  mta              INTEGER NOT NULL,
  program          INTEGER NOT NULL,
  recipient        TEXT    NOT NULL,
  recipient_key    INTEGER NOT NULL,
  recipient_domain INTEGER NOT NULL,
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
  hard_bounce      INTEGER NOT NULL DEFAULT 0,
  message_rowid    INTEGER,
  flags            INTEGER NOT NULL DEFAULT 0
);
INSERT INTO attempt_rows_lean (id, ts, host, mta, program, recipient, recipient_key, recipient_domain, outcome,
                               relay_host, relay_ip, port, stage, reply_code, enhanced_status, dsn, reply, reply_words,
                               delay, transport, class, cause, provider, hard_bounce, message_rowid, flags)
SELECT a.id, a.ts, a.host, a.mta, a.program,
       CASE WHEN d.name != '' AND substr(a.recipient, -length(d.name) - 1) = '@' || d.name
            THEN substr(a.recipient, 1, length(a.recipient) - length(d.name) - 1) ELSE a.recipient END,
       a.recipient_key, a.recipient_domain, a.outcome, a.relay_host, a.relay_ip, a.port, a.stage, a.reply_code,
       a.enhanced_status, CASE WHEN a.dsn = a.enhanced_status THEN 0 ELSE a.dsn END, a.reply, a.reply_words, a.delay,
       a.transport, a.class, a.cause, a.provider,
       a.hard_bounce, a.message_rowid,
       CASE WHEN d.name != '' AND substr(a.recipient, -length(d.name) - 1) = '@' || d.name
            THEN a.flags ELSE a.flags | 8 END
  FROM attempt_rows a JOIN names d ON d.id = a.recipient_domain
 ORDER BY a.id;
DROP TABLE attempt_rows;
ALTER TABLE attempt_rows_lean RENAME TO attempt_rows;
-- Indexes the bulk import set aside belonged to the table just rebuilt: those below replace them.
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
-- Trace: by recipient (its key), by life; and attempts stored with a queue id or original recipient of their own.
CREATE INDEX attempts_recipient ON attempt_rows (recipient_key);
CREATE INDEX attempts_message ON attempt_rows (message_rowid);
CREATE INDEX attempts_queue ON attempt_extras (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX attempts_orig_recipient ON attempt_extras (orig_recipient) WHERE orig_recipient IS NOT NULL;

-- Rollups as narrow integer rows: every key but the bucket is a names id (host, domain, provider, outcome, class,
-- cause, code; '' is a name like any other), so a row takes about 20 bytes rather than 60. The readers that sum
-- them (db/sqlite/read/rollups.ts, alerts.ts, report.ts) group on the ids and put the names back on the groups
-- only; the old tables become views of the same name and columns.
CREATE TABLE rollup_minute_rows (
  bucket   INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  provider INTEGER NOT NULL,
  outcome  INTEGER NOT NULL,
  class    INTEGER NOT NULL,
  cause    INTEGER NOT NULL,
  code     INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;
CREATE TABLE rollup_hour_rows (
  bucket   INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  provider INTEGER NOT NULL,
  outcome  INTEGER NOT NULL,
  class    INTEGER NOT NULL,
  cause    INTEGER NOT NULL,
  code     INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;
CREATE TABLE rollup_day_rows (
  bucket   INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  provider INTEGER NOT NULL,
  outcome  INTEGER NOT NULL,
  class    INTEGER NOT NULL,
  cause    INTEGER NOT NULL,
  code     INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (bucket, host, domain, provider, outcome, class, cause, code)
) WITHOUT ROWID;

INSERT OR IGNORE INTO names (name)
SELECT v FROM (
  SELECT host AS v FROM rollups_day UNION SELECT domain FROM rollups_day UNION SELECT provider FROM rollups_day
  UNION SELECT outcome FROM rollups_day UNION SELECT class FROM rollups_day UNION SELECT cause FROM rollups_day
  UNION SELECT code FROM rollups_day
  UNION SELECT host FROM rollups_hour UNION SELECT domain FROM rollups_hour UNION SELECT provider FROM rollups_hour
  UNION SELECT outcome FROM rollups_hour UNION SELECT class FROM rollups_hour UNION SELECT cause FROM rollups_hour
  UNION SELECT code FROM rollups_hour
  UNION SELECT host FROM rollups_minute UNION SELECT domain FROM rollups_minute
  UNION SELECT provider FROM rollups_minute UNION SELECT outcome FROM rollups_minute
  UNION SELECT class FROM rollups_minute UNION SELECT cause FROM rollups_minute UNION SELECT code FROM rollups_minute
) ORDER BY v;

INSERT INTO rollup_minute_rows
SELECT bucket, (SELECT id FROM names WHERE name = r.host), (SELECT id FROM names WHERE name = r.domain),
       (SELECT id FROM names WHERE name = r.provider), (SELECT id FROM names WHERE name = r.outcome),
       (SELECT id FROM names WHERE name = r.class), (SELECT id FROM names WHERE name = r.cause),
       (SELECT id FROM names WHERE name = r.code), count
  FROM rollups_minute r;
INSERT INTO rollup_hour_rows
SELECT bucket, (SELECT id FROM names WHERE name = r.host), (SELECT id FROM names WHERE name = r.domain),
       (SELECT id FROM names WHERE name = r.provider), (SELECT id FROM names WHERE name = r.outcome),
       (SELECT id FROM names WHERE name = r.class), (SELECT id FROM names WHERE name = r.cause),
       (SELECT id FROM names WHERE name = r.code), count
  FROM rollups_hour r;
INSERT INTO rollup_day_rows
SELECT bucket, (SELECT id FROM names WHERE name = r.host), (SELECT id FROM names WHERE name = r.domain),
       (SELECT id FROM names WHERE name = r.provider), (SELECT id FROM names WHERE name = r.outcome),
       (SELECT id FROM names WHERE name = r.class), (SELECT id FROM names WHERE name = r.cause),
       (SELECT id FROM names WHERE name = r.code), count
  FROM rollups_day r;

DROP TABLE rollups_minute;
DROP TABLE rollups_hour;
DROP TABLE rollups_day;

CREATE VIEW rollups_minute AS
SELECT r.bucket AS bucket, h.name AS host, d.name AS domain, p.name AS provider, o.name AS outcome, c.name AS class,
       k.name AS cause, s.name AS code, r.count AS count
  FROM rollup_minute_rows r JOIN names h ON h.id = r.host JOIN names d ON d.id = r.domain
  JOIN names p ON p.id = r.provider JOIN names o ON o.id = r.outcome JOIN names c ON c.id = r.class
  JOIN names k ON k.id = r.cause JOIN names s ON s.id = r.code;
CREATE VIEW rollups_hour AS
SELECT r.bucket AS bucket, h.name AS host, d.name AS domain, p.name AS provider, o.name AS outcome, c.name AS class,
       k.name AS cause, s.name AS code, r.count AS count
  FROM rollup_hour_rows r JOIN names h ON h.id = r.host JOIN names d ON d.id = r.domain
  JOIN names p ON p.id = r.provider JOIN names o ON o.id = r.outcome JOIN names c ON c.id = r.class
  JOIN names k ON k.id = r.cause JOIN names s ON s.id = r.code;
CREATE VIEW rollups_day AS
SELECT r.bucket AS bucket, h.name AS host, d.name AS domain, p.name AS provider, o.name AS outcome, c.name AS class,
       k.name AS cause, s.name AS code, r.count AS count
  FROM rollup_day_rows r JOIN names h ON h.id = r.host JOIN names d ON d.id = r.domain
  JOIN names p ON p.id = r.provider JOIN names o ON o.id = r.outcome JOIN names c ON c.id = r.class
  JOIN names k ON k.id = r.cause JOIN names s ON s.id = r.code;

-- Time blocks in place of the time indexes of attempts (15 bytes an attempt) and of lives (10): rows are stored about
-- in time order, so each run of 1,024 ids keeps its earliest and latest time, and a time range is read as the id
-- ranges of the blocks that meet it (db/sqlite/time-blocks.ts). A life's block keeps its earliest first line, which
-- retention needs. Ingest widens a block as rows come, retention narrows it as they go.
CREATE TABLE attempt_blocks (
  block  INTEGER PRIMARY KEY,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL
);
CREATE TABLE message_blocks (
  block  INTEGER PRIMARY KEY,
  min_ts INTEGER NOT NULL
);
INSERT INTO attempt_blocks (block, min_ts, max_ts)
SELECT id >> 10, MIN(ts), MAX(ts) FROM attempt_rows GROUP BY id >> 10;
INSERT INTO message_blocks (block, min_ts)
SELECT id >> 10, MIN(first_ts) FROM message_rows GROUP BY id >> 10;

-- The old tables, as views with their columns and values (as in migration 10, the texts put back together).
CREATE VIEW attempts AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = a.host) AS host,
       (SELECT name FROM names WHERE id = a.mta) AS mta,
       (SELECT name FROM names WHERE id = a.program) AS program,
       COALESCE(x.queue_id, '') AS queue_id,
       CASE WHEN a.flags & 8 THEN a.recipient
            ELSE a.recipient || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
       x.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       x.sender AS sender,
       (SELECT name FROM names WHERE id = x.sender_domain) AS sender_domain,
       CASE a.outcome WHEN 0 THEN 'sent' WHEN 1 THEN 'deferred' WHEN 2 THEN 'bounced' ELSE 'expired' END AS outcome,
       (SELECT name FROM names WHERE id = a.relay_host) AS relay_host,
       (SELECT name FROM names WHERE id = a.relay_ip) AS relay_ip,
       a.port AS port,
       (SELECT name FROM names WHERE id = a.stage) AS stage,
       a.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = a.enhanced_status) AS enhanced_status,
       (SELECT name FROM names WHERE id = CASE a.dsn WHEN 0 THEN a.enhanced_status ELSE a.dsn END) AS dsn,
       bw_reply((SELECT template FROM reply_templates WHERE id = a.reply), a.reply_words) AS diagnostic,
       CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END AS delay,
       (SELECT name FROM names WHERE id = a.transport) AS transport,
       CASE a.class WHEN 0 THEN 'success' WHEN 1 THEN 'temporary' ELSE 'permanent' END AS class,
       (SELECT name FROM names WHERE id = a.cause) AS cause,
       (SELECT name FROM names WHERE id = a.provider) AS provider,
       (SELECT name FROM names WHERE id = x.blocklist) AS blocklist,
       a.hard_bounce AS hard_bounce,
       (SELECT name FROM names WHERE id = x.class_conflict) AS class_conflict,
       x.message_id AS message_id,
       a.message_rowid AS message_rowid,
       a.flags & ~8 AS flags
  FROM attempt_rows a LEFT JOIN attempt_extras x ON x.id = a.id;

-- Every attempt with its life's fields filled in: read it wherever they are shown.
CREATE VIEW attempts_full AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = a.host) AS host,
       (SELECT name FROM names WHERE id = a.mta) AS mta,
       (SELECT name FROM names WHERE id = a.program) AS program,
       COALESCE(x.queue_id, bw_queue_text(m.queue_id), '') AS queue_id,
       CASE WHEN a.flags & 8 THEN a.recipient
            ELSE a.recipient || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
       x.orig_recipient AS orig_recipient,
       (SELECT name FROM names WHERE id = a.recipient_domain) AS recipient_domain,
       COALESCE(x.sender, (SELECT name FROM names WHERE id = m.sender)) AS sender,
       (SELECT name FROM names WHERE id = COALESCE(x.sender_domain, m.sender_domain)) AS sender_domain,
       CASE a.outcome WHEN 0 THEN 'sent' WHEN 1 THEN 'deferred' WHEN 2 THEN 'bounced' ELSE 'expired' END AS outcome,
       (SELECT name FROM names WHERE id = a.relay_host) AS relay_host,
       (SELECT name FROM names WHERE id = a.relay_ip) AS relay_ip,
       a.port AS port,
       (SELECT name FROM names WHERE id = a.stage) AS stage,
       a.reply_code AS reply_code,
       (SELECT name FROM names WHERE id = a.enhanced_status) AS enhanced_status,
       (SELECT name FROM names WHERE id = CASE a.dsn WHEN 0 THEN a.enhanced_status ELSE a.dsn END) AS dsn,
       bw_reply((SELECT template FROM reply_templates WHERE id = a.reply), a.reply_words) AS diagnostic,
       CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END AS delay,
       (SELECT name FROM names WHERE id = a.transport) AS transport,
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
  FROM attempt_rows a LEFT JOIN attempt_extras x ON x.id = a.id LEFT JOIN message_rows m ON m.id = a.message_rowid;

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
