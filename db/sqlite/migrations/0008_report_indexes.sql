-- The weekly report reads one week of failures (expiries, hard bounces, examples of each cause's replies) and the
-- message lives that expired in it. Without these it read every attempt of the week through the time index and
-- scanned every life: 8 to 12 s for a week of 2.3M attempts (10M in the database), most of it in those three
-- queries. Failures are a small part of the attempts, so the index on their time is small; it serves any query
-- that says `class != 'success'` with a time range. Expiries are rarer still.
CREATE INDEX IF NOT EXISTS attempts_fail_ts ON attempts (ts) WHERE class != 'success';
CREATE INDEX IF NOT EXISTS messages_expired ON messages (expired_at) WHERE expired_at IS NOT NULL;
