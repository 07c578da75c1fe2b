/** When the pipeline calls a batch full: lines or characters, as the store asks, smaller through the writer thread. */

import { describe, expect, it } from 'vitest';
import { classify } from '../../../classify/index.js';
import { openDatabase } from '../../../db/sqlite/open.js';
import {
  BATCH_LIMITS,
  createSqliteWriter,
  THREAD_BATCH_LIMITS,
} from '../../../db/sqlite/write/sqlite-writer.js';
import type { StoreWriter } from '../../../db/store/writer.js';
import { createEventBus } from '../../../server/events.js';
import { createCorrelator } from '../../../server/ingest/correlate.js';
import { createPipeline, type Pipeline } from '../../../server/ingest/pipeline.js';
import { capturingThread } from './helpers.js';

const pipeline = (store: StoreWriter): Pipeline =>
  createPipeline({
    store,
    bus: createEventBus(),
    correlator: createCorrelator({}),
    parse: () => ({ kind: 'ignored', severity: 'info' }) as never,
    classify,
    now: () => Date.UTC(2026, 10, 28),
  });

/** Lines fed until the pipeline says its batch is full (at most `limit`). */
const linesUntilFull = (p: Pipeline, line: string, limit: number): number => {
  for (let n = 1; n <= limit; n++) {
    p.line(line);
    if (p.full()) return n;
  }
  return -1;
};

describe('batch size', () => {
  it('on this thread: BATCH_LIMITS.lines short lines, or fewer long ones', () => {
    const store = createSqliteWriter(openDatabase({ file: ':memory:' }));
    expect(linesUntilFull(pipeline(store), 'x'.repeat(100), 100_000)).toBe(BATCH_LIMITS.lines);
    const long = 'y'.repeat(100_000);
    expect(linesUntilFull(pipeline(store), long, 100_000)).toBe(Math.ceil(BATCH_LIMITS.chars / long.length));
  });

  it('through the writer thread: smaller batches, by lines and by characters, and none after a flush', async () => {
    const { thread, sent } = capturingThread();
    const store = createSqliteWriter(openDatabase({ file: ':memory:' }), { startThread: () => thread });
    const p = pipeline(store);
    expect(await store.beginBulk(Number.MAX_SAFE_INTEGER)).not.toBeNull();
    expect(linesUntilFull(p, 'x'.repeat(100), 100_000)).toBe(THREAD_BATCH_LIMITS.lines);
    await p.flush(null);
    expect(sent).toHaveLength(1);
    expect(p.full()).toBe(false);
    const long = 'y'.repeat(100_000);
    expect(linesUntilFull(p, long, 100_000)).toBe(Math.ceil(THREAD_BATCH_LIMITS.chars / long.length));
    await p.flush(null);
    await store.endBulk();
    expect(linesUntilFull(p, 'x'.repeat(100), 100_000)).toBe(BATCH_LIMITS.lines);
  });
});
