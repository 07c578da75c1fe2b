/** The alert engine's writes in PostgreSQL (db/store/alert-writer.ts). */

import type pg from 'pg';
import type { AlertWriter } from '../store/alert-writer.js';

export function createPgAlertWriter(pool: pg.Pool): AlertWriter {
  return {
    async insert(a) {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO alerts (alert_key, rule, subject, severity, state, summary, evidence, opened_at, updated_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7) RETURNING id`,
        [a.key, a.rule, a.subject, a.severity, a.summary, JSON.stringify(a.evidence), a.openedAt],
      );
      return rows[0]!.id;
    },
    async update(id, c) {
      await pool.query(
        'UPDATE alerts SET summary = $1, evidence = $2, severity = $3, updated_at = $4 WHERE id = $5',
        [c.summary, JSON.stringify(c.evidence), c.severity, c.at, id],
      );
    },
    async resolve(id, at) {
      await pool.query(
        "UPDATE alerts SET state = 'resolved', resolved_at = $1, updated_at = $1 WHERE id = $2 AND state = 'open'",
        [at, id],
      );
    },
    async markNotified(id, at) {
      await pool.query('UPDATE alerts SET notified_at = $1 WHERE id = $2', [at, id]);
    },
    async prune(before) {
      const r = await pool.query("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < $1", [
        before,
      ]);
      return r.rowCount ?? 0;
    },
  };
}
