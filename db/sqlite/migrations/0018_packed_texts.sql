-- Texts of letters, digits and dots packed at 6 bits a character (db/sqlite/packed-text.ts) where that is shorter:
-- an attempt's recipient local part and the words cut out of its reply (a server's queue id or token), a life's
-- Message-ID left-hand side, and Exim's and Postfix's long queue ids ('.' standing for '-'). A column holds either
-- form: the views read a packed one back with bw_text (bw_queue_text for queue ids), and the index keys of the
-- recipient, the Message-ID and the queue id are those of the text, so the indexes are the same. Rejects keep texts.

UPDATE attempt_rows SET recipient = bw_pack(recipient)
 WHERE typeof(recipient) = 'text' AND typeof(bw_pack(recipient)) = 'blob';
UPDATE attempt_rows SET reply_words = bw_pack(reply_words)
 WHERE typeof(reply_words) = 'text' AND typeof(bw_pack(reply_words)) = 'blob';
UPDATE message_rows SET message_id = bw_pack(message_id)
 WHERE typeof(message_id) = 'text' AND typeof(bw_pack(message_id)) = 'blob';
UPDATE message_rows SET queue_id = bw_queue(queue_id)
 WHERE typeof(queue_id) = 'text' AND typeof(bw_queue(queue_id)) = 'blob';

-- The views as before, with the packed texts read back.
DROP VIEW attempts_full;
DROP VIEW attempts;
DROP VIEW messages;
DROP VIEW message_recipients;

-- Every attempt with its life's fields filled in: read it wherever they are shown.
CREATE VIEW attempts_full AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = r.host) AS host,
       (SELECT name FROM names WHERE id = r.mta) AS mta,
       (SELECT name FROM names WHERE id = r.program) AS program,
       COALESCE(x.queue_id, bw_queue_text(m.queue_id), '') AS queue_id,
       CASE WHEN a.flags & 8 THEN bw_text(a.recipient)
            ELSE bw_text(a.recipient) || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
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
                CASE WHEN m.message_domain IS NULL THEN bw_text(m.message_id)
                     ELSE bw_text(m.message_id) || '@' || (SELECT name FROM names WHERE id = m.message_domain) END) AS message_id,
       a.message_rowid AS message_rowid,
       a.flags & ~8 AS flags
  FROM attempt_rows a JOIN attempt_routes r ON r.id = a.route LEFT JOIN attempt_extras x ON x.id = a.id
  LEFT JOIN message_rows m ON m.id = a.message_rowid;

CREATE VIEW attempts AS
SELECT a.id AS id, a.ts AS ts,
       (SELECT name FROM names WHERE id = r.host) AS host,
       (SELECT name FROM names WHERE id = r.mta) AS mta,
       (SELECT name FROM names WHERE id = r.program) AS program,
       COALESCE(x.queue_id, '') AS queue_id,
       CASE WHEN a.flags & 8 THEN bw_text(a.recipient)
            ELSE bw_text(a.recipient) || '@' || (SELECT name FROM names WHERE id = a.recipient_domain) END AS recipient,
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

CREATE VIEW messages AS
SELECT m.id AS id,
       (SELECT name FROM names WHERE id = o.host) AS host,
       (SELECT name FROM names WHERE id = o.mta) AS mta,
       bw_queue_text(m.queue_id) AS queue_id, m.first_ts AS first_ts, m.first_ts + m.last_after AS last_ts,
       (SELECT name FROM names WHERE id = m.sender) AS sender,
       (SELECT name FROM names WHERE id = m.sender_domain) AS sender_domain,
       m.size AS size, m.nrcpt AS nrcpt,
       CASE WHEN m.message_domain IS NULL THEN bw_text(m.message_id)
            ELSE bw_text(m.message_id) || '@' || (SELECT name FROM names WHERE id = m.message_domain) END AS message_id,
       (SELECT name FROM names WHERE id = o.client_host) AS client_host,
       (SELECT name FROM names WHERE id = o.client_ip) AS client_ip,
       m.notification_of AS notification_of, m.expired_at AS expired_at,
       m.first_ts + m.closed_after AS closed_at, m.hop_of AS hop_of
  FROM message_rows m JOIN life_origins o ON o.id = m.origin;

CREATE VIEW message_recipients AS
SELECT g.message_rowid AS message_rowid,
       CASE WHEN g.whole THEN bw_text(g.recipient)
            ELSE bw_text(g.recipient) || '@' || (SELECT name FROM names WHERE id = g.domain) END AS recipient,
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
