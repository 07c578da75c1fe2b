/**
 * Which store a command reads and writes: the SQLite file (`--db`, the default) or a PostgreSQL store shared by
 * a fleet (`--store postgres://...` or BOUNCEWATCH_STORE), and this host's id in it (`--host-id`).
 */

import { hostname } from 'node:os';
import { createPgAlertWriter } from '../../db/postgres/alert-writer.js';
import { createPgPool, maskUrl } from '../../db/postgres/connect.js';
import { invalidateRollupCache } from '../../db/sqlite/read/rollup-cache.js';
import { migratePg } from '../../db/postgres/migrate.js';
import { createPgLeadership } from '../../db/postgres/leader.js';
import { createPgFleetReader } from '../../db/postgres/read/fleet.js';
import { createPgReader } from '../../db/postgres/reader.js';
import { HostBusyError, openPgWriter, type WriterStatus } from '../../db/postgres/write/pg-writer.js';
import { createSqliteAlertWriter } from '../../db/sqlite/alert-writer.js';
import { SchemaTooNewError } from '../../db/sqlite/migrate.js';
import type { Db } from '../../db/sqlite/open.js';
import { createSqliteReader } from '../../db/sqlite/reader.js';
import { createSqliteWriter } from '../../db/sqlite/write/sqlite-writer.js';
import type { StoreWriter } from '../../db/store/writer.js';
import type { ServedStore } from '../compose.js';
import { hostIdProblem } from '../ingest/host-id.js';
import type { Logger } from '../log.js';
import { CliError, dbPath, openDatabaseOrFail, UsageError } from './args.js';
import { openForWriting } from './writer-lock.js';

export const storeFlags = {
  store: { type: 'string' },
  'host-id': { type: 'string' },
} as const;

export const STORE_HELP = `  --store URL      a PostgreSQL store shared by a fleet (postgres://user@host/db;
                   default: $BOUNCEWATCH_STORE); replaces --db
  --host-id NAME   this host's name in the store (default: $BOUNCEWATCH_HOST_ID,
                   else the machine's host name with --store; with --db, the
                   names syslog wrote)`;

export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

const POSTGRES = /^postgres(ql)?:\/\//i;

/** The store named by `--db`, `--store` or the environment; a flag beats the environment. */
export function storeLocation(
  flags: { db?: string | undefined; store?: string | undefined },
  env: NodeJS.ProcessEnv,
): StoreLocation {
  if (flags.db !== undefined && flags.store !== undefined) {
    throw new UsageError('--db names a SQLite file and --store a PostgreSQL store: give one of them');
  }
  if (flags.store !== undefined) {
    if (!POSTGRES.test(flags.store)) {
      throw new UsageError(
        `--store takes a postgres:// URL, not '${flags.store}' (a SQLite file goes in --db)`,
      );
    }
    return { kind: 'postgres', url: flags.store };
  }
  if (flags.db !== undefined) return { kind: 'sqlite', file: flags.db };
  const fromEnv = env['BOUNCEWATCH_STORE'];
  if (fromEnv) {
    if (!POSTGRES.test(fromEnv)) throw new CliError('BOUNCEWATCH_STORE must be a postgres:// URL');
    return { kind: 'postgres', url: fromEnv };
  }
  return { kind: 'sqlite', file: dbPath(undefined, env) };
}

/** The store of a command with a config (serve, run): `--db` as a flag, else the config's store, else its db. */
export function configStoreLocation(
  config: { db: string; store?: string | undefined },
  flags: { db?: string | undefined; store?: string | undefined },
): StoreLocation {
  if (flags.db !== undefined && flags.store !== undefined) {
    throw new UsageError('--db names a SQLite file and --store a PostgreSQL store: give one of them');
  }
  if (flags.db !== undefined) return { kind: 'sqlite', file: flags.db };
  if (config.store !== undefined) return { kind: 'postgres', url: config.store };
  return { kind: 'sqlite', file: config.db };
}

/** This host's id: the flag, else BOUNCEWATCH_HOST_ID, else (in a fleet store) the machine's host name. */
export function hostIdOf(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  location: StoreLocation,
): string | null {
  const value = flag ?? env['BOUNCEWATCH_HOST_ID'] ?? (location.kind === 'postgres' ? hostname() : undefined);
  if (value === undefined) return null;
  const problem = hostIdProblem(value);
  if (problem) throw new UsageError(`--host-id: ${problem}`);
  return value;
}

interface WriterOptions {
  /** The host the writer writes for (required by a fleet store). */
  hostId: string | null;
  /** Whether writes wait for a store that is down (an agent) rather than fail (an import). */
  persistent: boolean;
  log: Logger;
  now?: () => number;
}

export interface OpenedStore {
  readonly location: StoreLocation;
  /** The file, or the URL with its password masked. */
  readonly label: string;
  /** The SQLite database, when that is the store (the dashboard's memo and the bulk writer use it). */
  readonly db: Db | null;
  /** What the dashboard, the reports and the alerts read through. */
  served(now: () => number): ServedStore;
  /** Forgets the dashboard's memoised sums of time from `from` on (a batch with events that old was stored). */
  forget(from: number): void;
  writer(
    options: WriterOptions,
  ): Promise<StoreWriter & { status?: WriterStatus; close?: () => Promise<void> }>;
  close(): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Opens (and migrates) the store, turning a failure into one clear line for the user. */
export async function openStore(
  location: StoreLocation,
  options: { writingAs?: string } = {},
): Promise<OpenedStore> {
  if (location.kind === 'sqlite') {
    // A command that writes holds the SQLite file's writer lock (the PostgreSQL store locks per host instead).
    const { db, lock } = options.writingAs
      ? await openForWriting(location.file, options.writingAs)
      : { db: openDatabaseOrFail({ file: location.file }), lock: null };
    return {
      location,
      label: location.file,
      db,
      forget: (from) => invalidateRollupCache(db, from),
      served: (now) => {
        const reader = createSqliteReader(db, { now });
        return { reader, triageReader: reader, alertWriter: createSqliteAlertWriter(db) };
      },
      writer: (o) =>
        Promise.resolve(
          createSqliteWriter(db, {
            ...(o.now ? { now: o.now } : {}),
          }),
        ),
      close: () => {
        db.close();
        lock?.release();
        return Promise.resolve();
      },
    };
  }
  const label = maskUrl(location.url);
  const pool = createPgPool(location.url);
  try {
    const client = await pool.connect();
    try {
      await migratePg(client, undefined, (m) =>
        process.stderr.write(
          `bouncewatch: upgrading ${label} to schema ${m.version} (${m.name.replace(/_/g, ' ')})\n`,
        ),
      );
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof SchemaTooNewError) {
      throw new CliError(
        `${label} was written by a newer bouncewatch (schema ${err.version}; this one knows up to ${err.newest}): upgrade bouncewatch`,
      );
    }
    throw new CliError(`cannot open the PostgreSQL store ${label}: ${message(err)}`, { cause: err });
  }
  const writers: { close: () => Promise<void> }[] = [];
  return {
    location,
    label,
    db: null,
    forget: (from) => invalidateRollupCache(pool, from),
    served: (now) => {
      const reader = createPgReader(pool, { now });
      return {
        reader,
        triageReader: reader,
        alertWriter: createPgAlertWriter(pool),
        fleet: {
          reader: createPgFleetReader(pool),
          leadership: (onChange) => createPgLeadership({ url: location.url, onChange }),
        },
      };
    },
    async writer(o) {
      if (!o.hostId) throw new CliError('a PostgreSQL store needs a host id (--host-id)');
      try {
        const writer = await openPgWriter({
          url: location.url,
          host: o.hostId,
          persistent: o.persistent,
          ...(o.now ? { now: o.now } : {}),
          onRetry: (err, attempt, waitMs) =>
            o.log.warn(
              { err: err.message, attempt, waitMs },
              'the store does not answer: reading stops until it does (the log on disk is the buffer)',
            ),
        });
        writers.push(writer);
        return writer;
      } catch (err) {
        if (err instanceof HostBusyError) throw new CliError(err.message, { cause: err });
        throw new CliError(`cannot write to the PostgreSQL store ${label}: ${message(err)}`, { cause: err });
      }
    },
    async close() {
      for (const w of writers) await w.close();
      await pool.end();
    },
  };
}
