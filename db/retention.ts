/** Retention: prunes raw rows older than N days; hour and day rollups stay, minute rollups are short-lived. */

import type { Db } from './open.js';
import { MINUTE_ROLLUPS_KEPT_MS } from './rollup-cells.js';

const DAY = 86_400_000;

export interface PruneResult {
  attempts: number;
  rejects: number;
  messages: number;
  minuteRollups: number;
}

export interface Retention {
  /** Deletes raw rows older than `retainDays` before `nowMs`, and minute rollups older than two days. */
  prune(nowMs: number, retainDays: number): PruneResult;
}

export function createRetention(db: Db): Retention {
  const attempts = db.prepare('DELETE FROM attempts WHERE ts < ?');
  const rejects = db.prepare('DELETE FROM rejects WHERE ts < ?');
  // Recipients go with their message (ON DELETE CASCADE); open lives are kept while they still get lines.
  const messages = db.prepare(
    'DELETE FROM messages WHERE first_ts < ? AND (closed_at IS NOT NULL OR last_ts < ?)',
  );
  const minutes = db.prepare('DELETE FROM rollups_minute WHERE bucket < ?');
  const samples = db.prepare('DELETE FROM unparsed_samples WHERE ts < ?');
  const prune = db.transaction((nowMs: number, retainDays: number): PruneResult => {
    const cutoff = nowMs - retainDays * DAY;
    const result = {
      attempts: attempts.run(cutoff).changes,
      rejects: rejects.run(cutoff).changes,
      messages: messages.run(cutoff, cutoff).changes,
      minuteRollups: minutes.run(nowMs - MINUTE_ROLLUPS_KEPT_MS).changes,
    };
    samples.run(cutoff);
    return result;
  });
  return { prune: (nowMs, retainDays) => prune(nowMs, retainDays) };
}
