-- Flows (SQLite migration 9 says them): hops, waits and notification deliveries are stored as what they are; the
-- lines counted apart have rollup outcomes of their own; the facts that make a domain ours are kept per host.
INSERT INTO outcome_codes VALUES
  (6, 'hop'), (7, 'wait'), (8, 'discarded'), (9, 'probe'), (10, 'note'), (11, 'notification'),
  (12, 'notice-sent'), (13, 'notice-deferred'), (14, 'notice-bounced'), (15, 'notice-expired');
-- Lines counted apart have no class.
INSERT INTO class_codes VALUES (0, '');

-- What an attempt is besides a delivery: 1 a hop, 2 an Exim retry wait, 4 a notification's delivery.
ALTER TABLE attempts ADD COLUMN flags smallint NOT NULL DEFAULT 0;
-- The queue id a life was re-queued from (a hop's `queued as`).
ALTER TABLE messages ADD COLUMN hop_of text;
CREATE INDEX messages_hop_of ON messages (hop_of) WHERE hop_of IS NOT NULL;

CREATE TABLE domain_facts (
  host   integer  NOT NULL,
  domain integer  NOT NULL,
  fact   smallint NOT NULL,
  day    bigint   NOT NULL,
  count  bigint   NOT NULL,
  PRIMARY KEY (host, domain, fact, day)
);
CREATE TABLE client_domains (
  host      integer NOT NULL,
  client_ip text    NOT NULL,
  domain    integer NOT NULL,
  day       bigint  NOT NULL,
  PRIMARY KEY (host, client_ip, domain)
);
CREATE TABLE authenticated_clients (
  host      integer NOT NULL,
  client_ip text    NOT NULL,
  day       bigint  NOT NULL,
  PRIMARY KEY (host, client_ip)
);

-- The views again, with the new columns (a view's columns cannot change in place).
DROP VIEW message_recipients;
DROP VIEW attempts_full;
DROP VIEW messages_full;

CREATE VIEW attempts_full AS
SELECT a.id, a.ts, h.value AS host, mc.name AS mta, pr.value AS program,
       COALESCE(NULLIF(a.queue_id, ''), m.queue_id, '') AS queue_id,
       a.recipient, a.orig_recipient, d.value AS recipient_domain,
       COALESCE(a.sender, m.sender) AS sender,
       COALESCE(sd.value, msd.value) AS sender_domain,
       oc.name AS outcome, rh.value AS relay_host, a.relay_ip, a.port, st.value AS stage, a.reply_code,
       es.value AS enhanced_status, ds.value AS dsn, rp.text AS diagnostic, a.delay::numeric::float8 AS delay, tr.value AS transport,
       cc.name AS class, ca.value AS cause, pv.value AS provider, bl.value AS blocklist,
       a.hard_bounce::integer AS hard_bounce, a.class_conflict,
       COALESCE(a.message_id, m.message_id) AS message_id, a.life AS message_rowid, a.flags
  FROM attempts a
  JOIN dict h ON h.id = a.host
  JOIN mta_codes mc ON mc.code = a.mta
  JOIN dict pr ON pr.id = a.program
  JOIN dict d ON d.id = a.domain
  JOIN outcome_codes oc ON oc.code = a.outcome
  JOIN class_codes cc ON cc.code = a.class
  JOIN replies rp ON rp.id = a.reply
  LEFT JOIN messages m ON m.host = a.host AND m.first_ts = a.life_ts AND m.id = a.life
  LEFT JOIN dict sd ON sd.id = a.sender_domain
  LEFT JOIN dict msd ON msd.id = m.sender_domain
  LEFT JOIN dict rh ON rh.id = a.relay_host
  LEFT JOIN dict st ON st.id = a.stage
  LEFT JOIN dict es ON es.id = a.enhanced_status
  LEFT JOIN dict ds ON ds.id = a.dsn
  LEFT JOIN dict tr ON tr.id = a.transport
  LEFT JOIN dict ca ON ca.id = a.cause
  LEFT JOIN dict pv ON pv.id = a.provider
  LEFT JOIN dict bl ON bl.id = a.blocklist;

CREATE VIEW messages_full AS
SELECT m.id, h.value AS host, mc.name AS mta, m.queue_id, m.first_ts, m.last_ts, m.sender,
       sd.value AS sender_domain, m.size, m.nrcpt, m.message_id, m.client_host, m.client_ip, m.notification_of,
       m.hop_of, m.expired_at, m.closed_at, m.host AS host_key
  FROM messages m
  JOIN dict h ON h.id = m.host
  JOIN mta_codes mc ON mc.code = m.mta
  LEFT JOIN dict sd ON sd.id = m.sender_domain;

CREATE VIEW message_recipients AS
SELECT g.life AS message_rowid, g.recipient,
       CASE WHEN f.outcome = 3 THEN 'bounced' WHEN f.outcome = 4 THEN 'expired'
            WHEN g.first_sent_ts IS NOT NULL THEN 'delivered' ELSE 'pending' END AS final_outcome,
       g.deferrals, g.first_attempt_ts, COALESCE(f.ts, g.first_sent_ts) AS final_ts,
       lc.value AS last_cause, lr.text AS last_diagnostic
  FROM (SELECT life, recipient, count(*) FILTER (WHERE outcome = 2) AS deferrals, min(ts) AS first_attempt_ts,
               min(ts) FILTER (WHERE outcome = 1) AS first_sent_ts
          FROM attempts WHERE life IS NOT NULL AND recipient <> '' AND flags & 3 = 0 GROUP BY life, recipient) g
  LEFT JOIN LATERAL (SELECT x.ts, x.outcome FROM attempts x
                      WHERE x.life = g.life AND x.recipient = g.recipient AND x.outcome IN (3, 4) AND x.flags & 3 = 0
                      ORDER BY x.id DESC LIMIT 1) f ON true
  LEFT JOIN LATERAL (SELECT x.cause, x.reply FROM attempts x
                      WHERE x.life = g.life AND x.recipient = g.recipient AND x.outcome IN (2, 3) AND x.flags & 3 = 0
                      ORDER BY x.id DESC LIMIT 1) l ON true
  LEFT JOIN dict lc ON lc.id = l.cause
  LEFT JOIN replies lr ON lr.id = l.reply;
