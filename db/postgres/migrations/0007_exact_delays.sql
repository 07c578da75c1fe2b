-- A delay is stored as a real (4 bytes); decoded through numeric it kept 6 digits (12648.07 s read as 12648.1),
-- where the SQLite store keeps what the log said. Its text is the shortest that reads back as the same real, which
-- is the logged value for any delay of up to 6 significant digits, and nearly always of 7.
CREATE OR REPLACE VIEW attempts_full AS
SELECT a.id, a.ts, h.value AS host, mc.name AS mta, pr.value AS program,
       COALESCE(NULLIF(a.queue_id, ''), m.queue_id, '') AS queue_id,
       a.recipient, a.orig_recipient, d.value AS recipient_domain,
       COALESCE(a.sender, m.sender) AS sender,
       COALESCE(sd.value, msd.value) AS sender_domain,
       oc.name AS outcome, rh.value AS relay_host, a.relay_ip, a.port, st.value AS stage, a.reply_code,
       es.value AS enhanced_status, ds.value AS dsn, rp.text AS diagnostic, a.delay::text::float8 AS delay, tr.value AS transport,
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
