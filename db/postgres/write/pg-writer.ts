/**
 * The PostgreSQL store's writer (db/store/writer.ts) for one host: the agent on an MTA, or an import of that
 * host's history. It holds the host's writer lock (an advisory lock) for as long as it runs, so a second writer
 * for the same host id refuses to start. When the store is down it keeps the batch and tries again with backoff
 * (ingest stops reading meanwhile: the log on disk is the buffer), and says how long it has been waiting.
 */

import type pg from 'pg';
import type { Batch } from '../../store/batch.js';
import type { SourceRow } from '../../store/checkpoints.js';
import type { BatchLimits, StoreWriter } from '../../store/writer.js';
import { MINUTE_ROLLUPS_KEPT_MS } from '../../sqlite/rollup-horizon.js';
import { createPgClient, maskUrl } from '../connect.js';
import { WRITER_LOCK_CLASS } from '../locks.js';
import { migratePg } from '../migrate.js';
import { readOpenLives } from '../read/open-lives.js';
import { createDict } from './dict.js';
import { writeAgentStatus, writeLogLoss } from './fleet-facts.js';
import { markHandovers } from './handovers.js';
import { createPartitions } from './partitions.js';
import { pruneDays } from './retention.js';
import { createReplies } from './replies.js';
import { writeBatch, type WriteContext } from './write-batch.js';

/** Batches of this size make transactions of a few hundred milliseconds: few round trips, short locks. */
const PG_BATCH_LIMITS: BatchLimits = { lines: 16_384, chars: 4 * 1024 * 1024 };

/** Another writer holds this host's lock: an agent (or import) for the same host id is running. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
}

/** How the writer is doing: what /healthz and /metrics show of an agent. */
export interface WriterStatus {
  /** Since when a batch has been waiting for the store (ms), or null when writes go through. */
  waitingSince: number | null;
  /** Attempts made for the waiting batch. */
  retries: number;
  lastError: string | null;
  /** When the last batch was committed. */
  lastCommitAt: number | null;
  /** The last time writes had to wait for the store: since when, and for how long (ms). */
  lastOutage: { since: number; ms: number } | null;
}

export interface PgWriter extends StoreWriter {
  readonly status: WriterStatus;
  /** Releases the host's lock and the connection. */
  close(): Promise<void>;
}

export interface PgWriterOptions {
  url: string;
  /** The host this writer writes for (the agent's --host-id). */
  host: string;
  now?: () => number;
  /**
   * Whether a write waits for the store to come back (an agent) instead of failing (an import). Default true.
   */
  persistent?: boolean;
  /** Backoff between attempts while the store is down: first and longest wait, ms. */
  backoff?: { firstMs: number; maxMs: number };
  /** Hears of each failed attempt while waiting (for the log). */
  onRetry?: (err: Error, attempt: number, waitMs: number) => void;
  onUpgrade?: (m: { version: number; name: string }) => void;
}

/** Errors that mean the store is unreachable or restarting, not that the batch is wrong. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Also a deadlock or serialization failure: the transaction was rolled back and may simply run again.
    if (/^(08|57P0[1-3]|53300|40P01|40001)/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code))
      return true;
  }
  return /Connection terminated|connection (was )?closed|Client has encountered a connection error|not queryable/i.test(
    err.message,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Connects, migrates, and takes the host's writer lock; throws HostBusyError when another writer has it. */
async function connectAsWriter(
  url: string,
  host: string,
  onUpgrade?: (m: { version: number; name: string }) => void,
): Promise<{ client: pg.Client; hostKey: number; migrated: number[] }> {
  const client = createPgClient(url);
  // A dropped connection is found by the next query; an unhandled 'error' event would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const migrated = await migratePg(client, undefined, onUpgrade);
    await client.query('INSERT INTO dict (value) VALUES ($1) ON CONFLICT (value) DO NOTHING', [host]);
    const { rows } = await client.query<{ id: number }>('SELECT id FROM dict WHERE value = $1', [host]);
    const hostKey = rows[0]!.id;
    const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
      WRITER_LOCK_CLASS,
      hostKey,
    ]);
    if (!lock.rows[0]?.ok) {
      throw new HostBusyError(
        `another bouncewatch already writes for host '${host}' into ${maskUrl(url)} (an agent or an import): ` +
          'one writer per host; stop it first, or give this one its own --host-id',
      );
    }
    return { client, hostKey, migrated };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

export async function openPgWriter(options: PgWriterOptions): Promise<PgWriter> {
  const now = options.now ?? Date.now;
  const persistent = options.persistent ?? true;
  const backoff = options.backoff ?? { firstMs: 500, maxMs: 30_000 };
  const opened = await connectAsWriter(options.url, options.host, options.onUpgrade);
  const { migrated } = opened;
  let { client, hostKey } = opened;
  let broken = false;
  let closed = false;
  const ctx: WriteContext = {
    host: options.host,
    dict: createDict(),
    replies: createReplies(),
    partitions: createPartitions(),
  };
  const status: WriterStatus = {
    waitingSince: null,
    retries: 0,
    lastError: null,
    lastCommitAt: null,
    lastOutage: null,
  };
  /** A status report waiting behind the batches: at most one at a time. */
  let reporting = false;
  /** Writes are applied one at a time, in the order they were handed over. */
  let queue: Promise<void> = Promise.resolve();

  const reconnect = async () => {
    await client.end().catch(() => undefined);
    const fresh = await connectAsWriter(options.url, options.host);
    ({ client, hostKey } = fresh);
    // What was learnt may belong to a store restored from a backup: learn it again.
    ctx.dict = createDict();
    ctx.replies = createReplies();
    ctx.partitions = createPartitions();
    broken = false;
  };

  /** Whether a batch's checkpoint is already stored (its commit went through before the connection dropped). */
  const alreadyStored = async (batch: Batch): Promise<boolean> => {
    const cp = batch.checkpoint;
    if (!cp) return false;
    const { rows } = await client.query<{ offset: number }>(
      'SELECT "offset" FROM sources WHERE host = $1 AND fingerprint = $2',
      [hostKey, cp.fingerprint],
    );
    return rows[0] !== undefined && rows[0].offset >= cp.offset && cp.offset > 0;
  };

  /** Runs `work` until it succeeds; waits and reconnects while the store is unreachable (persistent writers). */
  const withRetry = async (work: () => Promise<void>, onRetryCheck?: () => Promise<boolean>) => {
    let wait = backoff.firstMs;
    for (let attempt = 1; ; attempt++) {
      try {
        if (broken) {
          await reconnect();
          if (onRetryCheck && (await onRetryCheck())) break;
        }
        await work();
        break;
      } catch (err) {
        if (err instanceof HostBusyError || !isTransient(err) || !persistent || closed) throw err;
        broken = true;
        status.waitingSince ??= now();
        status.retries = attempt;
        status.lastError = err instanceof Error ? err.message : String(err);
        options.onRetry?.(err as Error, attempt, wait);
        await sleep(wait);
        wait = Math.min(wait * 2, backoff.maxMs);
      }
    }
    if (status.waitingSince !== null) {
      status.lastOutage = { since: status.waitingSince, ms: now() - status.waitingSince };
    }
    status.waitingSince = null;
    status.retries = 0;
  };

  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> => {
    let rows: T[] = [];
    await withRetry(async () => {
      rows = (await client.query<T>(sql, params)).rows;
    });
    return rows;
  };

  interface RawSource {
    id: number;
    path: string;
    inode: number | null;
    fingerprint: string;
    offset: number;
    size: number | null;
    lines: number;
    complete: boolean;
    updated_at: number;
    cursor: string | null;
  }
  const toSource = (r: RawSource): SourceRow => ({
    id: r.id,
    path: r.path,
    inode: r.inode,
    fingerprint: r.fingerprint,
    offset: r.offset,
    size: r.size,
    lines: r.lines,
    complete: r.complete,
    updatedAt: r.updated_at,
    cursor: r.cursor,
  });

  return {
    status,
    prepare: () => Promise.resolve({ migrated, indexesRebuilt: 0 }),
    checkpoints: {
      byFingerprint: async (fingerprint) =>
        (
          await query<RawSource>('SELECT * FROM sources WHERE host = $1 AND fingerprint = $2', [
            hostKey,
            fingerprint,
          ])
        )
          .map(toSource)
          .at(0),
      shortFingerprints: async (fullLength) =>
        (
          await query<RawSource>(
            "SELECT * FROM sources WHERE host = $1 AND split_part(fingerprint, ':', 1)::integer < $2",
            [hostKey, fullLength],
          )
        ).map(toSource),
      latestForPath: async (path) =>
        (
          await query<RawSource>(
            'SELECT * FROM sources WHERE host = $1 AND path = $2 ORDER BY updated_at DESC, id DESC LIMIT 1',
            [hostKey, path],
          )
        )
          .map(toSource)
          .at(0),
    },
    openLives: async (limit) => {
      let lives: Awaited<ReturnType<typeof readOpenLives>> = { messages: [], recipients: [], deferrals: [] };
      await withRetry(async () => {
        lives = await readOpenLives(client, hostKey, limit);
      });
      return lives;
    },
    batchLimits: PG_BATCH_LIMITS,
    write(batch, onCommitted) {
      batch.minuteFrom ??= now() - MINUTE_ROLLUPS_KEPT_MS;
      const minuteFrom = batch.minuteFrom;
      const done = queue.then(() =>
        withRetry(
          () => writeBatch(client, batch, ctx, minuteFrom),
          () => alreadyStored(batch),
        ),
      );
      queue = done.catch(() => undefined);
      return done.then(() => {
        status.lastCommitAt = now();
        onCommitted?.();
      });
    },
    ready: () => queue,
    beginBulk: () => Promise.resolve(null),
    endBulk: async () => {
      await queue;
      return null;
    },
    prune: async (nowMs, retainDays) => {
      let result = { attempts: 0, rejects: 0, messages: 0, minuteRollups: 0 };
      await withRetry(async () => {
        result = await pruneDays(client, nowMs, retainDays, hostKey);
        ctx.partitions = createPartitions();
      });
      return result;
    },
    markHandovers(since) {
      let marked = 0;
      const done = queue.then(() =>
        withRetry(async () => {
          marked = await markHandovers(client, hostKey, since, now());
        }),
      );
      queue = done.catch(() => undefined);
      return done.then(() => marked);
    },
    recordLoss(loss) {
      const done = queue.then(() => withRetry(() => writeLogLoss(client, hostKey, loss)));
      queue = done.catch(() => undefined);
      return done;
    },
    reportStatus(s) {
      // Behind the batches on the one connection; while the store is away the report would only be stale.
      if (reporting || status.waitingSince !== null || broken) return Promise.resolve();
      reporting = true;
      const done = queue.then(() =>
        writeAgentStatus(client, hostKey, {
          reportedAt: now(),
          lagBytes: s.lagBytes,
          newestLineTs: s.newestLineTs,
          waitedSince: status.lastOutage?.since ?? null,
          waitedMs: status.lastOutage?.ms ?? 0,
        }),
      );
      queue = done.catch(() => undefined);
      return done
        .catch(() => undefined)
        .finally(() => {
          reporting = false;
        });
    },
    async close() {
      closed = true;
      await queue;
      await client
        .query('SELECT pg_advisory_unlock($1, $2)', [WRITER_LOCK_CLASS, hostKey])
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
