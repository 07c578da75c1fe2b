/** When the pipeline calls a batch full: lines or characters, smaller through the writer thread. */

import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../server/events.js';
import { createCorrelator } from '../../../server/ingest/correlate.js';
import {
  BATCH_CHARS,
  BATCH_LINES,
  createPipeline,
  THREAD_BATCH_CHARS,
  THREAD_BATCH_LINES,
  type Pipeline,
} from '../../../server/ingest/pipeline.js';
import { classify } from '../../../classify/index.js';
import { capturingThread } from './helpers.js';

const pipeline = (): Pipeline =>
  createPipeline({
    writer: { write: () => undefined },
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
  it('on this thread: BATCH_LINES short lines, or fewer long ones', () => {
    expect(linesUntilFull(pipeline(), 'x'.repeat(100), 100_000)).toBe(BATCH_LINES);
    const long = 'y'.repeat(100_000);
    expect(linesUntilFull(pipeline(), long, 100_000)).toBe(Math.ceil(BATCH_CHARS / long.length));
  });

  it('through the writer thread: smaller batches, by lines and by characters, and none after a flush', () => {
    const { thread, sent } = capturingThread();
    const p = pipeline();
    p.useThread(thread);
    expect(linesUntilFull(p, 'x'.repeat(100), 100_000)).toBe(THREAD_BATCH_LINES);
    p.flush(null);
    expect(sent).toHaveLength(1);
    expect(p.full()).toBe(false);
    const long = 'y'.repeat(100_000);
    expect(linesUntilFull(p, long, 100_000)).toBe(Math.ceil(THREAD_BATCH_CHARS / long.length));
    p.useThread(null);
    p.flush(null);
    expect(linesUntilFull(p, 'x'.repeat(100), 100_000)).toBe(BATCH_LINES);
  });
});
