/**
 * A batch's triage facts into PostgreSQL (migration 5): warning shapes, session counts and sender figures, each
 * added to its host and hour inside the batch's transaction. Events and topics are dictionary ids; logins,
 * addresses and IPs stay in the rows, so that they go with their day's partition.
 */

import type pg from 'pg';
import { SENDER_COUNTS, type TriageFacts } from '../../store/triage.js';
import { codeOf, SEVERITY_CODE } from './codes.js';
import type { Dict } from './dict.js';

/** The dictionary texts the facts name (events and topics), to learn before the transaction. */
export function triageTexts(facts: TriageFacts | undefined): string[] {
  if (!facts) return [];
  return [...facts.warnings.map((w) => w.topic), ...facts.sessions.map((s) => s.event)];
}

/** The hours the facts fall in, for their day partitions. */
export function* triageTimes(facts: TriageFacts | undefined): Iterable<number> {
  if (!facts) return;
  for (const w of facts.warnings) yield w.hour;
  for (const s of facts.sessions) yield s.hour;
  for (const s of facts.senders) yield s.hour;
}

/** Adds up facts of one key, since one multi-row upsert may not name a row twice. */
function summed<T>(rows: readonly T[], key: (row: T) => string, add: (into: T, row: T) => void): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const seen = byKey.get(k);
    if (seen) add(seen, row);
    else byKey.set(k, { ...row });
  }
  return [...byKey.values()];
}

export async function writeTriage(
  client: pg.ClientBase,
  facts: TriageFacts | undefined,
  host: number,
  dict: Dict,
): Promise<void> {
  if (!facts) return;
  const warnings = summed(
    facts.warnings,
    (w) => `${w.hour}\u0001${w.severity}\u0001${w.shape}`,
    (into, w) => {
      into.count += w.count;
      if (w.last >= into.last) into.example = w.example;
      into.first = Math.min(into.first, w.first);
      into.last = Math.max(into.last, w.last);
    },
  );
  if (warnings.length > 0) {
    await client.query(
      `INSERT INTO warning_hours (host, hour, severity, topic, shape, example, count, first_ts, last_ts)
       SELECT $1, * FROM unnest($2::bigint[], $3::smallint[], $4::integer[], $5::text[], $6::text[], $7::bigint[],
         $8::bigint[], $9::bigint[])
       ON CONFLICT (host, hour, severity, shape) DO UPDATE SET count = warning_hours.count + excluded.count,
         example = CASE WHEN excluded.last_ts >= warning_hours.last_ts THEN excluded.example
                        ELSE warning_hours.example END,
         first_ts = least(warning_hours.first_ts, excluded.first_ts),
         last_ts = greatest(warning_hours.last_ts, excluded.last_ts)`,
      [
        host,
        warnings.map((w) => w.hour),
        warnings.map((w) => codeOf(SEVERITY_CODE, w.severity)),
        warnings.map((w) => dict.key(w.topic)),
        warnings.map((w) => w.shape),
        warnings.map((w) => w.example),
        warnings.map((w) => w.count),
        warnings.map((w) => w.first),
        warnings.map((w) => w.last),
      ],
    );
  }
  const sessions = summed(
    facts.sessions,
    (s) => `${s.hour}\u0001${s.event}\u0001${s.key}`,
    (into, s) => {
      into.count += s.count;
    },
  );
  if (sessions.length > 0) {
    await client.query(
      `INSERT INTO session_hours (host, hour, event, key, count)
       SELECT $1, * FROM unnest($2::bigint[], $3::integer[], $4::text[], $5::bigint[])
       ON CONFLICT (host, hour, event, key) DO UPDATE SET count = session_hours.count + excluded.count`,
      [
        host,
        sessions.map((s) => s.hour),
        sessions.map((s) => dict.key(s.event)),
        sessions.map((s) => s.key),
        sessions.map((s) => s.count),
      ],
    );
  }
  const senders = summed(
    facts.senders,
    (s) => `${s.hour}\u0001${s.saslUser}\u0001${s.sender}\u0001${s.clientIp}`,
    (into, s) => {
      for (const c of SENDER_COUNTS) into[c] += s[c];
    },
  );
  if (senders.length > 0) {
    await client.query(
      `INSERT INTO sender_hours (host, hour, sasl_user, sender, client_ip, ${SENDER_COUNTS.join(', ')})
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], ${SENDER_COUNTS.map(
         (_, i) => `$${i + 6}::bigint[]`,
       ).join(', ')})
       ON CONFLICT (host, hour, sasl_user, sender, client_ip) DO UPDATE SET
         ${SENDER_COUNTS.map((c) => `${c} = sender_hours.${c} + excluded.${c}`).join(', ')}`,
      [
        host,
        senders.map((s) => s.hour),
        senders.map((s) => s.saslUser),
        senders.map((s) => s.sender),
        senders.map((s) => s.clientIp),
        ...SENDER_COUNTS.map((c) => senders.map((s) => s[c])),
      ],
    );
  }
}
