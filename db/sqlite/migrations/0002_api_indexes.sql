-- Indexes for the dashboard API's drill-downs and message trace (indexes only, no table changes).
-- Failure-only partial indexes stay small: most attempts are successes and drill-downs read failures.

CREATE INDEX attempts_fail_domain_ts ON attempts (recipient_domain, ts) WHERE class != 'success';
CREATE INDEX attempts_fail_provider_ts ON attempts (provider, ts) WHERE class != 'success';
CREATE INDEX attempts_fail_status_ts ON attempts (enhanced_status, ts) WHERE class != 'success';
CREATE INDEX attempts_fail_dsn_ts ON attempts (dsn, ts) WHERE class != 'success';
CREATE INDEX attempts_fail_reply_ts ON attempts (reply_code, ts) WHERE class != 'success';
-- Message trace by sender and Message-ID (recipient and queue id are indexed in 0001).
CREATE INDEX attempts_sender ON attempts (sender);
CREATE INDEX attempts_message_id ON attempts (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX attempts_orig_recipient ON attempts (orig_recipient) WHERE orig_recipient IS NOT NULL;
-- Rejects: drill-down by domain, cause and code; trace by queue id, recipient and sender.
CREATE INDEX rejects_domain_ts ON rejects (recipient_domain, ts);
CREATE INDEX rejects_cause_ts ON rejects (cause, ts);
CREATE INDEX rejects_status_ts ON rejects (enhanced_status, ts);
CREATE INDEX rejects_reply_ts ON rejects (reply_code, ts);
CREATE INDEX rejects_queue ON rejects (queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX rejects_recipient ON rejects (recipient);
CREATE INDEX rejects_sender ON rejects (sender);
