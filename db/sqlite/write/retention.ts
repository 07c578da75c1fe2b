/**
 * Retention: prunes raw rows older than N days, a message life with all its attempts once its last line is that
 * old; hour and day rollups stay, minute rollups are short-lived.
 */

import type { PruneResult } from '../../store/writer.js';
import type { Db } from '../open.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../rollup-horizon.js';
import { blockIds } from '../time-blocks.js';
import { createTimeBlockWriter } from './time-block-writer.js';

const DAY = 86_400_000;

export interface Retention {
  /** Deletes raw rows older than `retainDays` before `nowMs`, and minute rollups older than two days. */
  prune(nowMs: number, retainDays: number): PruneResult;
}

export function createRetention(db: Db): Retention {
  // A life goes once all its lines are older than the cutoff (its last line is first_ts + last_after; the first_ts
  // term only lets the index find the candidates). A life with a line since keeps every attempt: its recipients' outcomes
  // (message_recipients) count all their deferrals, and its attempts find their queue id, sender and
  // Message-ID, which are stored with the life only.
  // Neither table has a time index: the blocks that began before the cutoff give the ids to look at (time-blocks.ts).
  const messages = db.prepare<{ cutoff: number }>(`
    DELETE FROM message_rows WHERE id IN (
      SELECT m.id FROM message_blocks b JOIN message_rows m ON m.id BETWEEN ${blockIds('b')}
       WHERE b.min_ts < @cutoff AND m.first_ts < @cutoff AND m.first_ts + m.last_after < @cutoff)`);
  const attempts = db.prepare<{ cutoff: number }>(`
    DELETE FROM attempt_rows WHERE id IN (
      SELECT a.id FROM attempt_blocks b JOIN attempt_rows a ON a.id BETWEEN ${blockIds('b')}
       WHERE b.min_ts < @cutoff AND a.ts < @cutoff
         AND (a.message_rowid IS NULL OR NOT EXISTS (SELECT 1 FROM message_rows m WHERE m.id = a.message_rowid)))`);
  const extras = db.prepare(
    'DELETE FROM attempt_extras WHERE NOT EXISTS (SELECT 1 FROM attempt_rows a WHERE a.id = attempt_extras.id)',
  );
  const blocks = createTimeBlockWriter(db);
  const rejects = db.prepare('DELETE FROM reject_rows WHERE ts < ?');
  const minutes = db.prepare('DELETE FROM rollup_minute_rows WHERE bucket < ?');
  const samples = db.prepare('DELETE FROM unparsed_samples WHERE ts < ?');
  // Triage facts name SASL logins, client IPs and addresses (personal data), and warning examples quote them:
  // they go with the raw rows, and so do the names and shapes nothing refers to any more.
  const triageHours = ['session_hours', 'sender_hours', 'warning_hours'].map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE hour_ts < ?`),
  );
  const orphanNames = db.prepare(`
    DELETE FROM triage_names WHERE id != 0
       AND id NOT IN (SELECT key_id FROM session_hours)
       AND id NOT IN (SELECT sasl_id FROM sender_hours)
       AND id NOT IN (SELECT sender_id FROM sender_hours)
       AND id NOT IN (SELECT ip_id FROM sender_hours)
       AND id NOT IN (SELECT host FROM session_hours)
       AND id NOT IN (SELECT host FROM sender_hours)
       AND id NOT IN (SELECT host FROM warning_hours)`);
  const orphanShapes = db.prepare(
    'DELETE FROM warning_shapes WHERE id NOT IN (SELECT shape_id FROM warning_hours)',
  );
  const prune = db.transaction((nowMs: number, retainDays: number): PruneResult => {
    const cutoff = nowMs - retainDays * DAY;
    // Lives first: the attempts of the lives that stay, stay.
    const pruned = messages.run({ cutoff }).changes;
    const result = {
      attempts: attempts.run({ cutoff }).changes,
      rejects: rejects.run(cutoff).changes,
      messages: pruned,
      minuteRollups: minutes.run(nowMs - MINUTE_ROLLUPS_KEPT_MS).changes,
    };
    extras.run();
    blocks.pruned(cutoff);
    samples.run(cutoff);
    // Whole hours only: an hour that began before the cutoff may still hold newer lines.
    const hourCutoff = cutoff - (cutoff % 3_600_000);
    let triageRows = 0;
    for (const t of triageHours) triageRows += t.run(hourCutoff).changes;
    if (triageRows > 0) {
      orphanNames.run();
      orphanShapes.run();
    }
    return result;
  });
  return { prune: (nowMs, retainDays) => prune(nowMs, retainDays) };
}
