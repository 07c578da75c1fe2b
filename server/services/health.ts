/** One health model for /healthz and /api/v1/health: ingest alive (when following), the database writable, the store's state. */

import { DAMAGE_ADVICE, StoreDamagedError } from '../../db/store/damage.js';
import type { FleetReader } from '../../db/store/fleet.js';
import type { StoreHealth, StoreReader } from '../../db/store/reader.js';
import type { EventBus } from '../events.js';
import type { HealthResponse } from '../http/contract/health.js';

export interface Health {
  check(): Promise<HealthResponse>;
  /** Marks ingest alive; so do every batch and every heartbeat on the bus. */
  heartbeat(): void;
  /** The store answered that it is damaged: unhealthy until the process restarts (on a repaired file). */
  markDamaged(detail: string): void;
  start(): void;
  stop(): void;
}

export interface HealthDeps {
  reader: StoreReader;
  bus?: EventBus;
  now: () => number;
  /** True when this process follows logs (run/follow); serve-only processes have no ingest to watch. */
  following: boolean;
  /** From the config (health.ingestStaleSeconds). */
  staleAfterSeconds: number;
  /** A fleet's store: its agents' reports, each stale after `agentStaleSeconds`. */
  fleet?: FleetReader | null;
  agentStaleSeconds?: number;
}

/** Agents that reported within this period are listed; one retired longer ago drops out. */
const AGENTS_LISTED_MS = 86_400_000;

type AgentsCheck = NonNullable<HealthResponse['checks']['agents']>;

async function agentsCheck(fleet: FleetReader, at: number, staleAfterSeconds: number): Promise<AgentsCheck> {
  const reports = await fleet.agentReports(at - AGENTS_LISTED_MS);
  const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
  const hosts = reports.map((r) => {
    const ageSeconds = seconds(at - r.reportedAt);
    return {
      host: r.host,
      ok: ageSeconds <= staleAfterSeconds,
      reportedAt: r.reportedAt,
      ageSeconds,
      lagBytes: r.lagBytes,
      lagSeconds: r.newestLineTs === null ? null : seconds(at - r.newestLineTs),
      waitedSince: r.waitedSince,
      waitedSeconds: seconds(r.waitedMs),
    };
  });
  return { ok: hosts.every((h) => h.ok), staleAfterSeconds, hosts };
}

type StoreState = Omit<StoreHealth, 'schemaVersion'> & { schemaVersion: number | null };

/** What the answer says of the store when the store cannot be read. */
const UNREADABLE: StoreState = {
  schemaVersion: null,
  newestAttemptTs: null,
  newestRejectTs: null,
  lineStats: {},
  sources: [],
  indexesMissing: 0,
};

export function createHealth(deps: HealthDeps): Health {
  const { reader, bus, now, following, staleAfterSeconds } = deps;
  // Counted from start-up so a fresh process gets one full period to show life.
  let lastSeen = now();
  /** The failure of the follower's last round, until a round or a batch succeeds. */
  let ingestFailure: string | null = null;
  /** Why the store is damaged, once anything found it so. */
  let damage: string | null = null;
  const markDamaged = (detail: string) => {
    damage ??= detail;
  };
  let unsubscribe: (() => void)[] = [];
  const seen = () => {
    lastSeen = now();
    ingestFailure = null;
  };
  const failed = (message: string) => {
    ingestFailure = message;
  };
  return {
    async check() {
      const at = now();
      let database: HealthResponse['checks']['database'];
      let store: StoreState = UNREADABLE;
      try {
        store = await reader.storeHealth();
        // While indexes are built the database is busy writing them: a probe would wait for the build.
        if (store.indexesMissing === 0) await reader.probeWrite(at);
        database = { ok: true };
      } catch (err) {
        if (err instanceof StoreDamagedError) markDamaged(err.detail);
        database = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      if (damage !== null) database = { ok: false, error: `${DAMAGE_ADVICE} (${damage})` };
      const ageSeconds = Math.max(0, Math.round((at - lastSeen) / 1000));
      const ingestOk = !following || (ageSeconds <= staleAfterSeconds && ingestFailure === null);
      const agents =
        deps.fleet && database.ok
          ? await agentsCheck(deps.fleet, at, deps.agentStaleSeconds ?? staleAfterSeconds).catch(() => null)
          : null;
      const ok = ingestOk && database.ok && (agents?.ok ?? true);
      return {
        status: ok ? 'ok' : 'fail',
        ok,
        now: at,
        checks: {
          ingest: {
            ok: ingestOk,
            following,
            lastSeenAt: new Date(lastSeen).toISOString(),
            ageSeconds,
            staleAfterSeconds,
            ...(following && ingestFailure !== null ? { error: ingestFailure } : {}),
          },
          database,
          ...(agents ? { agents } : {}),
          indexes: { ok: store.indexesMissing === 0, missing: store.indexesMissing },
        },
        ...store,
      };
    },
    heartbeat: seen,
    markDamaged,
    start() {
      // Damage where nothing reads yet is found by a quick check, off the main thread on a file database.
      reader.integrityProblems().then(
        (problems) => {
          if (problems.length > 0) markDamaged(`quick_check: ${problems.slice(0, 3).join('; ')}`);
        },
        (err: unknown) => {
          if (err instanceof StoreDamagedError) markDamaged(err.detail);
        },
      );
      if (!bus || unsubscribe.length > 0) return;
      unsubscribe.push(bus.onBatch(seen), bus.onHeartbeat(seen), bus.onIngestFailure(failed));
    },
    stop() {
      for (const off of unsubscribe) off();
      unsubscribe = [];
    },
  };
}
