/** Health for /healthz: ingest alive (a batch or heartbeat seen recently, when following) and database writable. */

import type { OpsQueries } from '../../db/alerts.js';
import type { EventBus } from '../events.js';

export interface HealthReport {
  status: 'ok' | 'fail';
  checks: {
    ingest: {
      ok: boolean;
      following: boolean;
      lastSeenAt: string | null;
      ageSeconds: number | null;
      staleAfterSeconds: number;
    };
    database: { ok: boolean; error?: string };
  };
}

export interface Health {
  check(): HealthReport;
  /** Marks ingest alive; so do every batch and every heartbeat on the bus. */
  heartbeat(): void;
  start(): void;
  stop(): void;
}

export interface HealthDeps {
  ops: OpsQueries;
  bus?: EventBus;
  now: () => number;
  /** True when this process follows logs (run/follow); serve-only processes have no ingest to watch. */
  following: boolean;
  staleAfterSeconds: number;
}

export function createHealth({ ops, bus, now, following, staleAfterSeconds }: HealthDeps): Health {
  // Counted from start-up so a fresh process gets one full period to show life.
  let lastSeen = now();
  let unsubscribe: (() => void)[] = [];
  const seen = () => {
    lastSeen = now();
  };
  return {
    check() {
      const at = now();
      let database: HealthReport['checks']['database'];
      try {
        ops.touchHeartbeat(at);
        database = { ok: true };
      } catch (err) {
        database = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      const ageSeconds = Math.max(0, Math.round((at - lastSeen) / 1000));
      const ingestOk = !following || ageSeconds <= staleAfterSeconds;
      return {
        status: ingestOk && database.ok ? 'ok' : 'fail',
        checks: {
          ingest: {
            ok: ingestOk,
            following,
            lastSeenAt: new Date(lastSeen).toISOString(),
            ageSeconds,
            staleAfterSeconds,
          },
          database,
        },
      };
    },
    heartbeat: seen,
    start() {
      if (!bus || unsubscribe.length > 0) return;
      unsubscribe.push(bus.onBatch(seen), bus.onHeartbeat(seen));
    },
    stop() {
      for (const off of unsubscribe) off();
      unsubscribe = [];
    },
  };
}
