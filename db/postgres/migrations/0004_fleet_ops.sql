-- bouncewatch on PostgreSQL, schema 4: what the agents tell the central side besides their rows.

-- Each agent's last word on how far behind its log it is, written every few seconds while the store answers.
-- The dashboards read it for /metrics and /healthz: an agent whose report grows old is cut off from the store.
CREATE TABLE agent_status (
  host          integer PRIMARY KEY,
  reported_at   bigint  NOT NULL,
  -- Bytes of its logs not yet read (and committed), summed over the followed files.
  lag_bytes     bigint  NOT NULL,
  -- Time of the newest line committed, or NULL before the first.
  newest_line   bigint,
  -- Since when the last outage made it wait (NULL when writes went straight through), and how long it waited.
  waited_since  bigint,
  waited_ms     bigint  NOT NULL DEFAULT 0
);

-- Log text an agent could never read: rotation deleted a file (or the rest of one) before it got there.
CREATE TABLE log_losses (
  host         integer NOT NULL,
  id           bigint  GENERATED ALWAYS AS IDENTITY,
  path         text    NOT NULL,
  -- Bytes known to be lost (the unread rest of the file it stopped in); whole files that went are not counted.
  lost_bytes   bigint  NOT NULL,
  -- When the agent last read from that file: the lost lines were written after it.
  lost_from    bigint  NOT NULL,
  detected_at  bigint  NOT NULL,
  PRIMARY KEY (host, id)
);
CREATE INDEX log_losses_detected ON log_losses (detected_at);

-- The trace by recipient also finds a forwarded message by its original recipient (orig_to=): without an index that
-- search read every attempt (2 s over 250k attempts in the bench).
CREATE INDEX attempts_orig_recipient ON attempts (orig_recipient) WHERE orig_recipient IS NOT NULL;
