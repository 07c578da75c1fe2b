/**
 * Who runs the fleet's alert engine: the process holding a session advisory lock. The lock lives as long as the
 * holder's connection, so when the holder dies (or its connection does) PostgreSQL releases it and the next
 * process to try takes over; every process tries again every few seconds.
 */

import type pg from 'pg';
import type { Leadership } from '../store/fleet.js';
import { createPgClient } from './connect.js';
import { ALERT_LEADER_LOCK } from './locks.js';

export interface PgLeadershipOptions {
  url: string;
  /** How often a follower tries to take the lock, and the leader checks its connection (ms). */
  retryMs?: number;
  /** Told when this process becomes or stops being the leader. */
  onChange?: (leader: boolean) => void;
}

export function createPgLeadership(options: PgLeadershipOptions): Leadership {
  const retryMs = options.retryMs ?? 5_000;
  let client: pg.Client | null = null;
  let leader = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const set = (value: boolean) => {
    if (value === leader) return;
    leader = value;
    options.onChange?.(value);
  };
  const drop = async () => {
    const c = client;
    client = null;
    set(false);
    await c?.end().catch(() => undefined);
  };
  const attempt = async () => {
    try {
      if (!client) {
        const c = createPgClient(options.url);
        // A dropped connection is found by the next query; an unhandled 'error' event would end the process.
        c.on('error', () => undefined);
        await c.connect();
        client = c;
      }
      if (leader) {
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
        ...ALERT_LEADER_LOCK,
      ]);
      if (!stopped) set(rows[0]?.ok === true);
    } catch {
      // The store is away: whatever lock this connection held went with it.
      await drop();
    }
  };
  const tick = () => {
    running = running.then(attempt);
  };

  return {
    isLeader: () => leader,
    start() {
      if (timer) return;
      stopped = false;
      tick();
      timer = setInterval(tick, retryMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await drop();
    },
  };
}
