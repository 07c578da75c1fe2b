/** Writes a batch's triage facts: warning shapes, session counts and sender figures, each added to its hour. */

import type { TriageFacts } from '../../store/triage.js';
import type { Db } from '../open.js';

export interface TriageWriter {
  write(facts: TriageFacts): void;
}

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
  const warningHour = db.prepare<[number, number, number, number, number]>(`
    INSERT INTO warning_hours (hour_ts, shape_id, count, first_ts, last_ts) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (hour_ts, shape_id) DO UPDATE SET count = count + excluded.count,
      first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)`);
  const sessionHour = db.prepare<[number, string, number, number]>(`
    INSERT INTO session_hours (hour_ts, event, key_id, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (hour_ts, event, key_id) DO UPDATE SET count = count + excluded.count`);
  const senderHour = db.prepare(`
    INSERT INTO sender_hours (hour_ts, sasl_id, sender_id, ip_id, messages, recipients, bytes, sent, deferred,
      bounced, reputation, spam, unknown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (hour_ts, sasl_id, sender_id, ip_id) DO UPDATE SET messages = messages + excluded.messages,
      recipients = recipients + excluded.recipients, bytes = bytes + excluded.bytes, sent = sent + excluded.sent,
      deferred = deferred + excluded.deferred, bounced = bounced + excluded.bounced,
      reputation = reputation + excluded.reputation, spam = spam + excluded.spam, unknown = unknown + excluded.unknown`);

  // No cache of ids: a rolled-back batch or a retention prune would leave it naming rows that are gone, and a
  // batch carries its facts already summed per hour, so there are few lookups.
  const nameId = (name: string): number =>
    name === '' ? 0 : (findName.get(name)?.id ?? Number(addName.run(name).lastInsertRowid));

  return {
    write(facts) {
      for (const w of facts.warnings) {
        const found = findShape.get(w.severity, w.shape);
        let id: number;
        if (found) {
          id = found.id;
          setExample.run(w.example, id);
        } else id = Number(addShape.run(w.severity, w.topic, w.shape, w.example).lastInsertRowid);
        warningHour.run(w.hour, id, w.count, w.first, w.last);
      }
      for (const s of facts.sessions) sessionHour.run(s.hour, s.event, nameId(s.key), s.count);
      for (const s of facts.senders) {
        senderHour.run(
          s.hour,
          nameId(s.saslUser),
          nameId(s.sender),
          nameId(s.clientIp),
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
