-- Flows (issue 17): which lines are deliveries, and the facts that decide which domains are ours. The flow of a
-- delivery (inbound or outbound) is never stored: readers decide it from the current own domains, so a changed
-- `ownDomains` applies to everything already stored.

-- What an attempt row is besides a delivery: 1 a hop (a hand-over to a local filter that queues the message
-- again), 2 a wait (Exim `retry time not reached`: nothing was tried), 4 of a notification message (a bounce this
-- server sends). Hops and waits are kept for the trace and counted under their own rollup outcomes.
ALTER TABLE attempts ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;

-- The queue id a life was re-queued from (a hop's `queued as`, or XFORWARD's orig_queue_id): the trace joins them.
ALTER TABLE messages ADD COLUMN hop_of TEXT;
CREATE INDEX messages_hop_of ON messages (hop_of) WHERE hop_of IS NOT NULL;

-- Facts that make a domain ours, once per domain, kind and day: 1 local, 2 virtual, 3 lmtp, 4 a unix socket,
-- 5 an Exim local transport (delivered to a mailbox here), 6 the original recipient of a forward.
CREATE TABLE domain_facts (
  domain TEXT    NOT NULL,
  fact   INTEGER NOT NULL,
  day    INTEGER NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (domain, fact, day)
) WITHOUT ROWID;

-- Outside clients (not loopback, private or link-local) and the recipient domains of the mail they handed us.
CREATE TABLE client_domains (
  client_ip TEXT    NOT NULL,
  domain    TEXT    NOT NULL,
  day       INTEGER NOT NULL,
  PRIMARY KEY (client_ip, domain)
) WITHOUT ROWID;
-- Outside clients that authenticated (SASL, Exim A=): relay clients, whose recipients say nothing of our domains.
CREATE TABLE authenticated_clients (
  client_ip TEXT    PRIMARY KEY,
  day       INTEGER NOT NULL
) WITHOUT ROWID;

-- Rows stored before: hops were sends and waits deferrals; attempts of notification lives are marked from them.
UPDATE attempts SET flags = 1
 WHERE outcome = 'sent' AND (diagnostic LIKE '%queued as %' OR (mta = 'exim' AND diagnostic LIKE '%id=%'))
   AND (relay_ip LIKE '127.%' OR relay_ip = '::1' OR lower(relay_host) = 'localhost'
        OR lower(relay_host) LIKE 'localhost.%');
UPDATE attempts SET flags = 2
 WHERE outcome = 'deferred' AND mta = 'exim' AND diagnostic LIKE '%retry time not%reached%';
UPDATE attempts SET flags = flags | 4
 WHERE message_rowid IN (SELECT id FROM messages WHERE notification_of IS NOT NULL);

-- Their rollups move from the outcome they were counted under to 'hop' and 'wait'; the deliveries of
-- notifications are counted once more under 'notice-<outcome>' (subtracted from the flows when read).
CREATE TEMP TABLE moved AS
SELECT ts AS bucket, host, recipient_domain AS domain, COALESCE(provider, '') AS provider, outcome AS old,
       CASE flags & 3 WHEN 1 THEN 'hop' WHEN 2 THEN 'wait' ELSE 'notice-' || outcome END AS new,
       flags & 3 != 0 AS moves, class, COALESCE(cause, '') AS cause,
       COALESCE(enhanced_status, dsn, CAST(reply_code AS TEXT), '') AS code
  FROM attempts WHERE flags != 0;

CREATE TEMP TABLE moved_minute AS
SELECT bucket - bucket % 60000 AS bucket, host, domain, provider, old, new, moves, class, cause, code, COUNT(*) AS n
  FROM moved WHERE bucket >= (SELECT COALESCE(MIN(bucket), 9e18) FROM rollups_minute)
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
CREATE TEMP TABLE moved_hour AS
SELECT bucket - bucket % 3600000 AS bucket, host, domain, provider, old, new, moves, class, cause, code, COUNT(*) AS n
  FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
CREATE TEMP TABLE moved_day AS
SELECT bucket - bucket % 86400000 AS bucket, host, domain, provider, old, new, moves, class, cause, code, SUM(n) AS n
  FROM moved_hour GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

UPDATE rollups_minute AS r SET count = r.count - m.n FROM moved_minute m
 WHERE m.moves AND r.bucket = m.bucket AND r.host = m.host AND r.domain = m.domain AND r.provider = m.provider
   AND r.outcome = m.old AND r.class = m.class AND r.cause = m.cause AND r.code = m.code;
UPDATE rollups_hour AS r SET count = r.count - m.n FROM moved_hour m
 WHERE m.moves AND r.bucket = m.bucket AND r.host = m.host AND r.domain = m.domain AND r.provider = m.provider
   AND r.outcome = m.old AND r.class = m.class AND r.cause = m.cause AND r.code = m.code;
UPDATE rollups_day AS r SET count = r.count - m.n FROM moved_day m
 WHERE m.moves AND r.bucket = m.bucket AND r.host = m.host AND r.domain = m.domain AND r.provider = m.provider
   AND r.outcome = m.old AND r.class = m.class AND r.cause = m.cause AND r.code = m.code;
DELETE FROM rollups_minute WHERE count <= 0;
DELETE FROM rollups_hour WHERE count <= 0;
DELETE FROM rollups_day WHERE count <= 0;

INSERT INTO rollups_minute (bucket, host, domain, provider, outcome, class, cause, code, count)
SELECT bucket, host, domain, provider, new, class, cause, code, n FROM moved_minute WHERE true
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code) DO UPDATE SET count = count + excluded.count;
INSERT INTO rollups_hour (bucket, host, domain, provider, outcome, class, cause, code, count)
SELECT bucket, host, domain, provider, new, class, cause, code, n FROM moved_hour WHERE true
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code) DO UPDATE SET count = count + excluded.count;
INSERT INTO rollups_day (bucket, host, domain, provider, outcome, class, cause, code, count)
SELECT bucket, host, domain, provider, new, class, cause, code, n FROM moved_day WHERE true
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code) DO UPDATE SET count = count + excluded.count;

DROP TABLE moved;
DROP TABLE moved_minute;
DROP TABLE moved_hour;
DROP TABLE moved_day;

-- Own-domain facts of the rows stored before: local deliveries and the domains outside clients sent mail for.
INSERT INTO domain_facts (domain, fact, day, count)
SELECT recipient_domain,
       CASE WHEN program LIKE '%/local' THEN 1 WHEN program LIKE '%/virtual' THEN 2 WHEN program LIKE '%/lmtp' THEN 3
            WHEN mta = 'exim' THEN 5 ELSE 4 END,
       ts - ts % 86400000, COUNT(*)
  FROM attempts
 WHERE outcome = 'sent' AND flags & 3 = 0 AND recipient_domain != ''
   AND (program LIKE '%/local' OR program LIKE '%/virtual' OR program LIKE '%/lmtp'
        OR (mta = 'postfix' AND relay_host LIKE '%/%')
        OR (mta = 'exim' AND relay_host IS NULL AND transport IS NOT NULL))
 GROUP BY 1, 2, 3;
INSERT OR IGNORE INTO client_domains (client_ip, domain, day)
SELECT m.client_ip, a.recipient_domain, MIN(a.ts - a.ts % 86400000)
  FROM attempts a JOIN messages m ON m.id = a.message_rowid
 WHERE m.client_ip IS NOT NULL AND m.notification_of IS NULL AND a.recipient_domain != ''
   AND m.client_ip NOT LIKE '127.%' AND m.client_ip NOT LIKE '10.%' AND m.client_ip NOT LIKE '192.168.%'
   AND m.client_ip NOT LIKE '169.254.%' AND m.client_ip NOT GLOB '172.1[6-9].*'
   AND m.client_ip NOT GLOB '172.2[0-9].*' AND m.client_ip NOT GLOB '172.3[01].*'
   AND m.client_ip != '::1' AND lower(m.client_ip) NOT GLOB 'f[cd]*' AND lower(m.client_ip) NOT GLOB 'fe[89ab]*'
 GROUP BY 1, 2;

-- Notification messages stored before, counted at their first line.
INSERT INTO rollups_hour (bucket, host, domain, provider, outcome, class, cause, code, count)
SELECT first_ts - first_ts % 3600000, host, '', '', 'notification', '', '', '', COUNT(*)
  FROM messages WHERE notification_of IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code) DO UPDATE SET count = count + excluded.count;
INSERT INTO rollups_day (bucket, host, domain, provider, outcome, class, cause, code, count)
SELECT first_ts - first_ts % 86400000, host, '', '', 'notification', '', '', '', COUNT(*)
  FROM messages WHERE notification_of IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (bucket, host, domain, provider, outcome, class, cause, code) DO UPDATE SET count = count + excluded.count;

-- A recipient's outcome in a life counts deliveries only: hops and waits are not attempts.
DROP VIEW message_recipients;
CREATE VIEW message_recipients AS
SELECT g.message_rowid AS message_rowid,
       g.recipient AS recipient,
       CASE
         WHEN f.outcome IN ('bounced', 'expired') THEN f.outcome
         WHEN g.first_sent_ts IS NOT NULL THEN 'delivered'
         ELSE 'pending'
       END AS final_outcome,
       g.deferrals AS deferrals,
       g.first_attempt_ts AS first_attempt_ts,
       COALESCE(f.ts, g.first_sent_ts) AS final_ts,
       l.cause AS last_cause,
       l.diagnostic AS last_diagnostic
  FROM (SELECT message_rowid,
               recipient,
               sum(outcome = 'deferred') AS deferrals,
               min(ts) AS first_attempt_ts,
               min(CASE WHEN outcome = 'sent' THEN ts END) AS first_sent_ts,
               max(CASE WHEN outcome IN ('bounced', 'expired') THEN id END) AS final_id,
               max(CASE WHEN outcome IN ('deferred', 'bounced') THEN id END) AS last_id
          FROM attempts
         WHERE message_rowid IS NOT NULL AND recipient != '' AND flags & 3 = 0
         GROUP BY message_rowid, recipient) g
  LEFT JOIN attempts f ON f.id = g.final_id
  LEFT JOIN attempts l ON l.id = g.last_id;

-- The trace reads what each attempt is (flags) through the view that fills in a life's fields.
DROP VIEW attempts_full;
CREATE VIEW attempts_full AS
SELECT a.id AS id, a.ts AS ts, a.host AS host, a.mta AS mta, a.program AS program,
       COALESCE(NULLIF(a.queue_id, ''), m.queue_id, '') AS queue_id,
       a.recipient AS recipient, a.orig_recipient AS orig_recipient, a.recipient_domain AS recipient_domain,
       COALESCE(a.sender, m.sender) AS sender,
       COALESCE(a.sender_domain, m.sender_domain) AS sender_domain,
       a.outcome AS outcome, a.relay_host AS relay_host, a.relay_ip AS relay_ip, a.port AS port,
       a.stage AS stage, a.reply_code AS reply_code, a.enhanced_status AS enhanced_status, a.dsn AS dsn,
       a.diagnostic AS diagnostic, a.delay AS delay, a.transport AS transport, a.class AS class,
       a.cause AS cause, a.provider AS provider, a.blocklist AS blocklist, a.hard_bounce AS hard_bounce,
       a.class_conflict AS class_conflict,
       COALESCE(a.message_id, m.message_id) AS message_id,
       a.message_rowid AS message_rowid,
       a.flags AS flags
  FROM attempts a LEFT JOIN messages m ON m.id = a.message_rowid;
