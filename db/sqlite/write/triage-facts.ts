/** Writes a batch's triage facts: warning shapes, session counts and sender figures, each added to its hour. */

import { SESSION_EVENT_CODES, type SessionFactEvent, type TriageFacts } from '../../store/triage.js';
import type { Db } from '../open.js';

export interface TriageWriter {
  write(facts: TriageFacts): void;
}

const CODES = new Map(SESSION_EVENT_CODES.map((e, i) => [e, i + 1]));
const eventCode = (event: SessionFactEvent): number => CODES.get(event) ?? 0;

/** Statements prepared once per connection. */
export function createTriageWriter(db: Db): TriageWriter {
  const findName = db.prepare<[string], { id: number }>('SELECT id FROM triage_names WHERE name = ?');
  const addName = db.prepare<[string]>('INSERT INTO triage_names (name) VALUES (?)');
  const findShape = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM warning_shapes WHERE severity = ? AND shape = ?',
  );
  const addShape = db.prepare<[string, string, string, string]>(
    'INSERT INTO warning_shapes (severity, topic, shape, example) VALUES (?, ?, ?, ?)',
  );
  const setExample = db.prepare<[string, number]>('UPDATE warning_shapes SET example = ? WHERE id = ?');
  const warningHour = db.prepare<[number, number, number, number, number, number]>(`
    INSERT INTO warning_hours (hour_ts, shape_id, host, count, first_ts, last_ts) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (hour_ts, shape_id, host) DO UPDATE SET count = count + excluded.count,
      first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)`);
  const sessionHour = db.prepare<[number, number, number, number, number]>(`
    INSERT INTO session_hours (hour_ts, event, key_id, host, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (hour_ts, event, key_id, host) DO UPDATE SET count = count + excluded.count`);
  const senderHour = db.prepare(`
    INSERT INTO sender_hours (hour_ts, sasl_id, sender_id, ip_id, host, messages, recipients, bytes, sent, deferred,
      bounced, reputation, spam, unknown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (hour_ts, sasl_id, sender_id, ip_id, host) DO UPDATE SET messages = messages + excluded.messages,
      recipients = recipients + excluded.recipients, bytes = bytes + excluded.bytes, sent = sent + excluded.sent,
      deferred = deferred + excluded.deferred, bounced = bounced + excluded.bounced,
      reputation = reputation + excluded.reputation, spam = spam + excluded.spam, unknown = unknown + excluded.unknown`);

  // No cache of ids: a rolled-back batch or a retention prune would leave it naming rows that are gone, and a
  // batch carries its facts already summed per hour, so there are few lookups.
  const nameId = (name: string): number =>
    name === '' ? 0 : (findName.get(name)?.id ?? Number(addName.run(name).lastInsertRowid));

  return {
    write(facts) {
      // A batch names few hosts: each looked up once.
      const hosts = new Map<string, number>();
      const hostId = (host = ''): number => {
        let id = hosts.get(host);
        if (id === undefined) hosts.set(host, (id = nameId(host)));
        return id;
      };
      for (const w of facts.warnings) {
        const found = findShape.get(w.severity, w.shape);
        let id: number;
        if (found) {
          id = found.id;
          setExample.run(w.example, id);
        } else id = Number(addShape.run(w.severity, w.topic, w.shape, w.example).lastInsertRowid);
        warningHour.run(w.hour, id, hostId(w.host), w.count, w.first, w.last);
      }
      for (const s of facts.sessions)
        sessionHour.run(s.hour, eventCode(s.event), nameId(s.key), hostId(s.host), s.count);
      for (const s of facts.senders) {
        senderHour.run(
          s.hour,
          nameId(s.saslUser),
          nameId(s.sender),
          nameId(s.clientIp),
          hostId(s.host),
          s.messages,
          s.recipients,
          s.bytes,
          s.sent,
          s.deferred,
          s.bounced,
          s.reputation,
          s.spam,
          s.unknown,
        );
      }
    },
  };
}
