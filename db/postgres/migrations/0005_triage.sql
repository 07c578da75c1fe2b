-- Triage facts (SQLite migration 11 says them): the MTA's warnings by shape, connection-level counts (SASL
-- failures, postscreen, TLS, volume) and what each submitter sent, per host and hour. Logins, addresses and IPs
-- are personal data: they are written into these rows (never into the fleet-wide `dict`, which is never pruned)
-- and the tables are partitioned by day like the raw rows, so that --retain-days drops them with their day.
-- Every key starts with the host (Citus distributes these tables by it like the others).

CREATE TABLE warning_hours (
  host     integer  NOT NULL,
  hour     bigint   NOT NULL,
  -- 1 warning, 2 fatal, 3 panic
  severity smallint NOT NULL,
  topic    integer  NOT NULL,
  shape    text     NOT NULL,
  -- The newest line of the shape in this hour, as written (it may quote addresses: it goes with its day).
  example  text     NOT NULL,
  count    bigint   NOT NULL,
  first_ts bigint   NOT NULL,
  last_ts  bigint   NOT NULL,
  PRIMARY KEY (host, hour, severity, shape)
) PARTITION BY RANGE (hour);

CREATE TABLE session_hours (
  host  integer NOT NULL,
  hour  bigint  NOT NULL,
  event integer NOT NULL,
  -- An IP, a login, a TLS protocol, a domain or a server name; '' for none.
  key   text    NOT NULL,
  count bigint  NOT NULL,
  PRIMARY KEY (host, hour, event, key)
) PARTITION BY RANGE (hour);

CREATE TABLE sender_hours (
  host       integer NOT NULL,
  hour       bigint  NOT NULL,
  -- '' when the client did not authenticate.
  sasl_user  text    NOT NULL,
  sender     text    NOT NULL,
  client_ip  text    NOT NULL,
  messages   bigint  NOT NULL,
  recipients bigint  NOT NULL,
  bytes      bigint  NOT NULL,
  sent       bigint  NOT NULL,
  deferred   bigint  NOT NULL,
  bounced    bigint  NOT NULL,
  reputation bigint  NOT NULL,
  spam       bigint  NOT NULL,
  unknown    bigint  NOT NULL,
  PRIMARY KEY (host, hour, sasl_user, sender, client_ip)
) PARTITION BY RANGE (hour);

-- The views read a range of hours across the fleet (or one host, which the primary keys serve).
CREATE INDEX warning_hours_hour ON warning_hours (hour);
CREATE INDEX session_hours_event_hour ON session_hours (event, hour);
CREATE INDEX sender_hours_hour ON sender_hours (hour);
