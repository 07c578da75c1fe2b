-- An attempt names its life's first time too, so that reaching the life reads one day's partition of messages.
ALTER TABLE attempts ADD COLUMN life_ts bigint;

-- The stored rows with their texts filled in (dictionary, fixed codes, replies, and the life's fields an attempt
-- does not repeat): the reader's queries read these, under the column names of the SQLite store.
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
       COALESCE(a.message_id, m.message_id) AS message_id, a.life AS message_rowid
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

CREATE VIEW rejects_full AS
SELECT r.id, r.ts, h.value AS host, mc.name AS mta, pr.value AS program, r.queue_id, ac.value AS action,
       r.client_host, r.client_ip, r.helo, r.sender, r.recipient, d.value AS recipient_domain, st.value AS stage,
       r.reply_code, es.value AS enhanced_status, rp.text AS diagnostic, cc.name AS class, ca.value AS cause
  FROM rejects r
  JOIN dict h ON h.id = r.host
  JOIN mta_codes mc ON mc.code = r.mta
  JOIN dict pr ON pr.id = r.program
  JOIN dict ac ON ac.id = r.action
  JOIN class_codes cc ON cc.code = r.class
  JOIN replies rp ON rp.id = r.reply
  LEFT JOIN dict d ON d.id = r.domain
  LEFT JOIN dict st ON st.id = r.stage
  LEFT JOIN dict es ON es.id = r.enhanced_status
  LEFT JOIN dict ca ON ca.id = r.cause;

CREATE VIEW messages_full AS
SELECT m.id, h.value AS host, mc.name AS mta, m.queue_id, m.first_ts, m.last_ts, m.sender,
       sd.value AS sender_domain, m.size, m.nrcpt, m.message_id, m.client_host, m.client_ip, m.notification_of,
       m.expired_at, m.closed_at, m.host AS host_key
  FROM messages m
  JOIN dict h ON h.id = m.host
  JOIN mta_codes mc ON mc.code = m.mta
  LEFT JOIN dict sd ON sd.id = m.sender_domain;

-- A recipient's final outcome in a life, derived from the life's attempts by the rules correlation applies
-- (SQLite migration 5 says them): the last bounce or expiry, else delivered once sent, else pending.
CREATE VIEW message_recipients AS
SELECT g.life AS message_rowid, g.recipient,
       CASE WHEN f.outcome = 3 THEN 'bounced' WHEN f.outcome = 4 THEN 'expired'
            WHEN g.first_sent_ts IS NOT NULL THEN 'delivered' ELSE 'pending' END AS final_outcome,
       g.deferrals, g.first_attempt_ts, COALESCE(f.ts, g.first_sent_ts) AS final_ts,
       lc.value AS last_cause, lr.text AS last_diagnostic
  FROM (SELECT life, recipient, count(*) FILTER (WHERE outcome = 2) AS deferrals, min(ts) AS first_attempt_ts,
               min(ts) FILTER (WHERE outcome = 1) AS first_sent_ts
          FROM attempts WHERE life IS NOT NULL AND recipient <> '' GROUP BY life, recipient) g
  LEFT JOIN LATERAL (SELECT x.ts, x.outcome FROM attempts x
                      WHERE x.life = g.life AND x.recipient = g.recipient AND x.outcome IN (3, 4)
                      ORDER BY x.id DESC LIMIT 1) f ON true
  LEFT JOIN LATERAL (SELECT x.cause, x.reply FROM attempts x
                      WHERE x.life = g.life AND x.recipient = g.recipient AND x.outcome IN (2, 3)
                      ORDER BY x.id DESC LIMIT 1) l ON true
  LEFT JOIN dict lc ON lc.id = l.cause
  LEFT JOIN replies lr ON lr.id = l.reply;

-- Rollups with their texts, under the column names the queries group by.
CREATE VIEW rollups_minute_v AS
SELECT r.bucket, h.value AS host, d.value AS domain, p.value AS provider, o.name AS outcome, c.name AS class,
       ca.value AS cause, co.value AS code, r.count
  FROM rollups_minute r JOIN dict h ON h.id = r.host JOIN dict d ON d.id = r.domain JOIN dict p ON p.id = r.provider
  JOIN outcome_codes o ON o.code = r.outcome JOIN class_codes c ON c.code = r.class
  JOIN dict ca ON ca.id = r.cause JOIN dict co ON co.id = r.code;
CREATE VIEW rollups_hour_v AS
SELECT r.bucket, h.value AS host, d.value AS domain, p.value AS provider, o.name AS outcome, c.name AS class,
       ca.value AS cause, co.value AS code, r.count
  FROM rollups_hour r JOIN dict h ON h.id = r.host JOIN dict d ON d.id = r.domain JOIN dict p ON p.id = r.provider
  JOIN outcome_codes o ON o.code = r.outcome JOIN class_codes c ON c.code = r.class
  JOIN dict ca ON ca.id = r.cause JOIN dict co ON co.id = r.code;
CREATE VIEW rollups_day_v AS
SELECT r.bucket, h.value AS host, d.value AS domain, p.value AS provider, o.name AS outcome, c.name AS class,
       ca.value AS cause, co.value AS code, r.count
  FROM rollups_day r JOIN dict h ON h.id = r.host JOIN dict d ON d.id = r.domain JOIN dict p ON p.id = r.provider
  JOIN outcome_codes o ON o.code = r.outcome JOIN class_codes c ON c.code = r.class
  JOIN dict ca ON ca.id = r.cause JOIN dict co ON co.id = r.code;

-- Time ranges over the whole fleet (the newest event, exact minutes older than the minute rollups, health): the
-- primary keys start with the host.
CREATE INDEX attempts_ts ON attempts (ts);
CREATE INDEX rejects_ts ON rejects (ts);
