-- Delivery delay per hour, host, recipient domain and provider, as counts in fixed log-scale buckets of seconds
-- (db/store/delay-buckets.ts): the median and p95 are read from the counts, so no delay is read from raw rows.
-- host, domain and provider are name ids (provider 0 when none is known). Only delivered recipients are counted: not
-- hand-overs to a filter (flags 1), retry waits (2) or our own bounce notices (4).
CREATE TABLE delay_hours (
  hour_ts  INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  provider INTEGER NOT NULL,
  bucket   INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (hour_ts, domain, provider, host, bucket)
) WITHOUT ROWID;

-- Mail delivered before this version is counted from its stored delays (hundredths of seconds when exact).
INSERT INTO delay_hours (hour_ts, host, domain, provider, bucket, count)
SELECT a.ts - (a.ts % 3600000), r.host, a.recipient_domain, coalesce(a.provider, 0),
       bw_delay_bucket(CASE typeof(a.delay) WHEN 'integer' THEN a.delay / 100.0 ELSE a.delay END), count(*)
  FROM attempt_rows a
  JOIN attempt_routes r ON r.id = a.route
 WHERE a.outcome = 0 AND a.delay IS NOT NULL AND (a.flags & 7) = 0
 GROUP BY 1, 2, 3, 4, 5;
