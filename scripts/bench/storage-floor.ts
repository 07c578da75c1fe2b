/**
 * The storage floor of a bulk import: the time the writer's SQLite work alone takes for one log, on one
 * thread, with nothing else running. A full ingest can be no faster than this however fast it reads, since
 * SQLite takes one writer at a time and the indexes are built after the last row.
 *
 * The log is read once as a bulk import reads it (256 KiB reads, one batch per read) and the packed batches are
 * saved to a file. They are then written to a fresh database by the writer a bulk import uses, in full groups
 * (BatchGroup.full) as its thread takes them when it is the slower side, and the deferred indexes are built.
 * Only that replay is timed: reading and unpacking the saved batches are left out.
 */

import { closeSync, createReadStream, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { classify as classifyReply } from '../../classify/index.js';
import type { PackedBatch } from '../../db/sqlite/write/pack-batch.js';
import { createIndexDeferral } from '../../db/sqlite/write/deferred-indexes.js';
import { openDatabase } from '../../db/sqlite/open.js';
import {
  createBatchWriter,
  THREAD_WRITER_CACHE_KIB,
  type BatchGroup,
} from '../../db/sqlite/write/batch-writer.js';
import { createSqliteWriter } from '../../db/sqlite/write/sqlite-writer.js';
import type { WriterThread } from '../../db/sqlite/write/writer-thread.js';
import { parseLine } from '../../parsers/index.js';
import { createEventBus } from '../../server/events.js';
import { createCorrelator } from '../../server/ingest/correlate.js';
import { importStream } from '../../server/ingest/import.js';
import { createPipeline } from '../../server/ingest/pipeline.js';

export interface StorageFloor {
  batches: number;
  /** Seconds of the batches' transactions, of the index build, and both. */
  writeSeconds: number;
  indexSeconds: number;
  seconds: number;
}

/** Packs the batches of `log` as a bulk import would and saves them to `out`, length-prefixed. */
async function saveBatches(log: string, out: string): Promise<number> {
  const fd = openSync(out, 'w');
  let batches = 0;
  // Lives are numbered from 1, as the writer numbers them in a fresh database.
  let nextId = 1;
  const saver: WriterThread = {
    submit(batch: PackedBatch, onWritten: (firstId: number) => void) {
      const body = serialize(batch);
      const head = Buffer.alloc(4);
      head.writeUInt32LE(body.length);
      writeSync(fd, head);
      writeSync(fd, body);
      batches++;
      onWritten(nextId);
      nextId += batch.newLives;
    },
    waitUntil: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  // A bulk import's writer on a scratch database, handing its packed batches to the saver instead of a thread.
  const scratch = openDatabase({ file: ':memory:' });
  const store = createSqliteWriter(scratch, { startThread: () => saver });
  await store.beginBulk(Number.MAX_SAFE_INTEGER);
  const pipeline = createPipeline({
    store,
    bus: createEventBus(),
    correlator: createCorrelator({}),
    parse: parseLine,
    classify: classifyReply,
    now: Date.now,
  });
  try {
    await importStream(createReadStream(log, { highWaterMark: 256 * 1024 }), { pipeline, now: Date.now }, {});
    await store.endBulk();
  } finally {
    closeSync(fd);
    scratch.close();
  }
  return batches;
}

/** Reads the saved batches back one at a time. */
function* savedBatches(file: string): Generator<PackedBatch> {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    while (readSync(fd, head, 0, 4, null) === 4) {
      const body = Buffer.alloc(head.readUInt32LE(0));
      if (readSync(fd, body, 0, body.length, null) !== body.length) throw new Error(`${file}: truncated`);
      yield deserialize(body) as PackedBatch;
    }
  } finally {
    closeSync(fd);
  }
}

/** Measures the storage floor of one log; `work` is a path prefix for the saved batches and the database. */
export async function measureStorageFloor(log: string, work: string): Promise<StorageFloor> {
  const saved = `${work}.batches`;
  const dbFile = `${work}.db`;
  try {
    const batches = await saveBatches(log, saved);
    const db = openDatabase({ file: dbFile });
    try {
      const indexes = createIndexDeferral(db);
      indexes.defer();
      const writer = createBatchWriter(db, { cacheKiB: THREAD_WRITER_CACHE_KIB });
      let writeNs = 0n;
      let group: BatchGroup | null = null;
      for (const batch of savedBatches(saved)) {
        const t = process.hrtime.bigint();
        group ??= writer.group();
        group.add(batch);
        if (group.full) {
          group.commit();
          group = null;
        }
        writeNs += process.hrtime.bigint() - t;
      }
      if (group) {
        const t = process.hrtime.bigint();
        group.commit();
        writeNs += process.hrtime.bigint() - t;
      }
      const t = process.hrtime.bigint();
      indexes.restore();
      const indexNs = process.hrtime.bigint() - t;
      const writeSeconds = Number(writeNs) / 1e9;
      const indexSeconds = Number(indexNs) / 1e9;
      return { batches, writeSeconds, indexSeconds, seconds: writeSeconds + indexSeconds };
    } finally {
      db.close();
    }
  } finally {
    for (const f of [saved, dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  }
}
