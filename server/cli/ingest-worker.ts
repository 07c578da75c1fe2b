/**
 * Entry of `run`'s ingest thread (ingest-thread.ts): opens the store for writing, follows the logs into it, and
 * tells the serving thread what its event bus hears. The serving thread took the writer lock and opened (and
 * migrated) the store before starting this thread, and holds the lock until this thread has stopped. It runs in
 * the background (backgroundWorker).
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../../db/sqlite/open.js';
import { createSqliteWriter, oldestEvent } from '../../db/sqlite/write/sqlite-writer.js';
import type { StoreWriter } from '../../db/store/writer.js';
import { parseLine } from '../../parsers/index.js';
import { createEventBus } from '../events.js';
import { createIngest } from '../ingest/engine.js';
import { withHostId } from '../ingest/host-id.js';
import { createLogger, type Logger } from '../log.js';
import { CliError } from './args.js';
import type { IngestThreadData, IngestThreadReply } from './ingest-thread.js';
import { openStore } from './store.js';

if (!parentPort) throw new Error('ingest-worker runs as a worker thread');
const port: MessagePort = parentPort;
const data = workerData as IngestThreadData;
const post = (m: IngestThreadReply) => port.postMessage(m);

/** The store's writer on this thread's own connection, and how to close it. */
async function openWriter(log: Logger): Promise<{ writer: StoreWriter; close: () => Promise<void> }> {
  const { location } = data;
  if (location.kind === 'sqlite') {
    const db = openDatabase({ file: location.file, migrate: false });
    const writer = createSqliteWriter(db, {
      serving: true,
      // The dashboard's memo lives on the serving thread's connection.
      forget: (from) => post({ type: 'stale', from }),
    });
    return {
      writer,
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  const store = await openStore(location);
  try {
    const writer = await store.writer({ hostId: data.hostId, persistent: true, log, now: Date.now });
    return { writer, close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function main(): Promise<void> {
  const log = createLogger({ level: data.logLevel, format: data.logFormat, tty: data.tty });
  let opened: Awaited<ReturnType<typeof openWriter>>;
  try {
    opened = await openWriter(log);
  } catch (err) {
    post({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
      refusal: err instanceof CliError,
    });
    port.close();
    return;
  }
  const bus = createEventBus();
  bus.onBatch((batch) => {
    post({ type: 'batch', batch });
    // The SQLite writer says so itself (forget, above); a PostgreSQL batch's oldest event says how far back the
    // serving thread's memo of closed rollup segments is stale.
    if (data.location.kind === 'postgres') {
      const from = oldestEvent(batch);
      if (Number.isFinite(from)) post({ type: 'stale', from });
    }
  });
  bus.onHeartbeat(() => post({ type: 'heartbeat' }));
  bus.onIngestFailure((message) => post({ type: 'ingest-failure', message }));
  bus.onLogLoss((loss) => post({ type: 'log-loss', loss }));
  const ingest = createIngest({
    store: opened.writer,
    log,
    bus,
    now: Date.now,
    internalRelays: data.internalRelays,
    ...(data.hostId ? { parse: withHostId(parseLine, data.hostId), hostId: data.hostId } : {}),
  });
  const follower = ingest.follow(data.paths, {
    fromEnd: data.fromEnd,
    ...(data.retainDays !== undefined ? { retainDays: data.retainDays } : {}),
  });
  post({ type: 'opened' });
  follower.ready.then(
    () => post({ type: 'ready', summary: follower.summary }),
    (err: unknown) =>
      post({
        type: 'ready',
        summary: follower.summary,
        error: err instanceof Error ? err.message : String(err),
      }),
  );
  // The one request is a stop (IngestThreadRequest).
  port.once('message', () => {
    void (async () => {
      await follower.stop().catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'the last batch could not be written');
      });
      await opened.close();
      post({ type: 'stopped', summary: follower.summary });
      port.close();
    })();
  });
}

void main();
