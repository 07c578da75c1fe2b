-- Delivery delay histograms as one row per hour, host, recipient domain and provider, its bucket counts packed into
-- one blob (db/sqlite/delay-cells.ts) instead of a row per bucket that repeated the key; the hour is counted in hours
-- since the epoch (3 bytes stored) instead of milliseconds (6 bytes). The readers add the blobs up with bw_delay_sum.
CREATE TABLE delay_cells (
  hour     INTEGER NOT NULL,
  host     INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  provider INTEGER NOT NULL,
  counts   BLOB NOT NULL,
  PRIMARY KEY (hour, domain, provider, host)
) WITHOUT ROWID;

INSERT INTO delay_cells (hour, host, domain, provider, counts)
SELECT hour_ts / 3600000, host, domain, provider, bw_delay_pack(bucket, count)
  FROM delay_hours
 GROUP BY hour_ts, domain, provider, host
 ORDER BY hour_ts, domain, provider, host;
DROP TABLE delay_hours;
ALTER TABLE delay_cells RENAME TO delay_hours;
