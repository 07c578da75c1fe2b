/** One health model for /healthz and /api/v1/health: ingest alive (when following), the database writable, the store's state. */

import { DAMAGE_ADVICE, StoreDamagedError } from '../../db/store/damage.js';
import type { AgentReport, FleetReader } from '../../db/store/fleet.js';
import type { StoreHealth, StoreReader } from '../../db/store/reader.js';
import type { EventBus } from '../events.js';
import type { HealthResponse } from '../http/contract/health.js';

export interface Health {
  /** Checks the store now and answers (the dashboard's /api/v1/health). */
  check(): Promise<HealthResponse>;
  /**
   * The answer from the last check of the store and what ingest said since, without asking the store (/healthz:
   * a probe is answered even while the store is busy); null before the first check.
   */
  current(): HealthResponse | null;
  /** Something that used the store saw it fail: check it again now rather than at the next period. */
  recheck(): void;
  /** Marks ingest alive; so do every batch and every heartbeat on the bus. */
  heartbeat(): void;
  /** The store answered that it is damaged: unhealthy until the process restarts (on a repaired file). */
  markDamaged(detail: string): void;
  /** Checks the store once (resolves then), and again every period until stop(). */
  start(): Promise<void>;
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
  /** How often the store is checked (default 2 s): how old what /healthz says of the store may be. */
  checkEveryMs?: number;
  /** A fleet's store: its agents' reports, each stale after `agentStaleSeconds`. */
  fleet?: FleetReader | null;
  agentStaleSeconds?: number;
}

/** Agents that reported within this period are listed; one retired longer ago drops out. */
const AGENTS_LISTED_MS = 86_400_000;

type AgentsCheck = NonNullable<HealthResponse['checks']['agents']>;

/** The agents as they last reported, judged at `at` (a report ages between two checks of the store). */
function agentsCheck(reports: readonly AgentReport[], at: number, staleAfterSeconds: number): AgentsCheck {
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

/** What the last check found: the store's state and whether it takes writes. */
interface StoreCheck {
  store: StoreState;
  database: HealthResponse['checks']['database'];
  /** A fleet's agents as they last reported; null where the store keeps none or could not be read. */
  agents: AgentReport[] | null;
}

export function createHealth(deps: HealthDeps): Health {
  const { reader, bus, now, following, staleAfterSeconds } = deps;
  const checkEveryMs = deps.checkEveryMs ?? 2000;
  // Counted from start-up so a fresh process gets one full period to show life.
  let lastSeen = now();
  /** The failure of the follower's last round, until a round or a batch succeeds. */
  let ingestFailure: string | null = null;
  /** Why the store is damaged, once anything found it so. */
  let damage: string | null = null;
  const markDamaged = (detail: string) => {
    damage ??= detail;
  };
  let last: StoreCheck | null = null;
  /** The check under way, so that checks asked for meanwhile wait for it rather than start another. */
  let checking: Promise<StoreCheck> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void)[] = [];
  const seen = () => {
    lastSeen = now();
    ingestFailure = null;
  };
  const failed = (message: string) => {
    ingestFailure = message;
  };

  const checkStore = async (): Promise<StoreCheck> => {
    let store: StoreState = UNREADABLE;
    try {
      store = await reader.storeHealth();
      // While indexes are built the database is busy writing them: a probe would wait for the build.
      if (store.indexesMissing === 0) await reader.probeWrite(now());
      const agents = deps.fleet
        ? await deps.fleet.agentReports(now() - AGENTS_LISTED_MS).catch(() => null)
        : null;
      return { store, database: { ok: true }, agents };
    } catch (err) {
      if (err instanceof StoreDamagedError) markDamaged(err.detail);
      const error = err instanceof Error ? err.message : String(err);
      return { store, database: { ok: false, error }, agents: null };
    }
  };
  const refresh = (): Promise<StoreCheck> => {
    checking ??= checkStore().then((c) => {
      last = c;
      checking = null;
      return c;
    });
    return checking;
  };

  /** The answer at this instant: the store as last checked, ingest and damage as they stand now. */
  const answer = ({ store, database: checked, agents: reports }: StoreCheck): HealthResponse => {
    const at = now();
    const database = damage !== null ? { ok: false, error: `${DAMAGE_ADVICE} (${damage})` } : checked;
    const ageSeconds = Math.max(0, Math.round((at - lastSeen) / 1000));
    const ingestOk = !following || (ageSeconds <= staleAfterSeconds && ingestFailure === null);
    const agents =
      reports && database.ok ? agentsCheck(reports, at, deps.agentStaleSeconds ?? staleAfterSeconds) : null;
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
  };

  return {
    check: async () => answer(await refresh()),
    current: () => (last === null ? null : answer(last)),
    recheck: () => void refresh(),
    heartbeat: seen,
    markDamaged,
    async start() {
      // Damage where nothing reads yet is found by a quick check, off the main thread on a file database.
      reader.integrityProblems().then(
        (problems) => {
          if (problems.length > 0) markDamaged(`quick_check: ${problems.slice(0, 3).join('; ')}`);
        },
        (err: unknown) => {
          if (err instanceof StoreDamagedError) markDamaged(err.detail);
        },
      );
      if (bus && unsubscribe.length === 0) {
        unsubscribe.push(bus.onBatch(seen), bus.onHeartbeat(seen), bus.onIngestFailure(failed));
      }
      if (timer === null) {
        timer = setInterval(() => void refresh(), checkEveryMs);
        timer.unref();
      }
      await refresh();
    },
    stop() {
      for (const off of unsubscribe) off();
      unsubscribe = [];
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}
