-- A recipient's final outcome is what the attempts of its message life say, so it is derived from them instead
-- of being written a second time: each attempt names its life (message_rowid), and message_recipients becomes a
-- view over the attempts of a life. The upsert per attempt it replaces was about a third of a bulk import's
-- write time. Read it by message_rowid (trace, ingest's restart): the constraint reaches the attempts index.

ALTER TABLE attempts ADD COLUMN message_rowid INTEGER;

-- Attempts stored before this migration: the life of the same host and queue id that began last before them.
UPDATE attempts SET message_rowid = (
  SELECT m.id FROM messages m
   WHERE m.host = attempts.host AND m.queue_id = attempts.queue_id AND m.first_ts <= attempts.ts
   ORDER BY m.first_ts DESC, m.id DESC LIMIT 1);

CREATE INDEX attempts_message ON attempts (message_rowid);

DROP TABLE message_recipients;

-- The rules correlation applies as it reads (server/ingest/correlate.ts), in attempt order (ids follow the log):
--   final outcome: that of the last bounced or expired attempt, else delivered once one was sent, else pending;
--   final time: that attempt's time, else the first delivery's;
--   last cause and reply: those of the last deferral or bounce.
-- An expiry with no recipient known is stored as one attempt to '' (no recipient row).
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
         WHERE message_rowid IS NOT NULL AND recipient != ''
         GROUP BY message_rowid, recipient) g
  LEFT JOIN attempts f ON f.id = g.final_id
  LEFT JOIN attempts l ON l.id = g.last_id;
