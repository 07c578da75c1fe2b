/** Batches written through the writer thread are announced on the bus once committed (not when written), and only to listeners. */

import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import type { WriterThread } from '../../../db/sqlite/write/writer-thread.js';
import { createEventBus, type EventBus, type StoredBatch } from '../../../server/events.js';
import { createCorrelator } from '../../../server/ingest/correlate.js';
import { createPipeline } from '../../../server/ingest/pipeline.js';
import { classify } from '../../../classify/index.js';
import { parseLine } from '../../../parsers/index.js';

const LINES = [
  'Nov 28 10:00:00 mx1 postfix/qmgr[10]: 4AB12C3D4E: from=<a@example.org>, size=900, nrcpt=1 (queue active)',
  'Nov 28 10:00:01 mx1 postfix/smtp[11]: 4AB12C3D4E: to=<b@example.net>, relay=mx.example.net[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.7] said: 550 5.1.1 <b@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))',
];

/** A pipeline writing through a fake writer thread whose writes and commits the test runs by hand. */
async function threaded(bus: EventBus) {
  const commits: { written: (firstId: number) => void; committed: (() => void) | undefined }[] = [];
  const thread: WriterThread = {
    submit: (_batch, written, committed) => void commits.push({ written, committed }),
    waitUntil: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const store = createSqliteWriter(openDatabase({ file: ':memory:' }), { startThread: () => thread });
  await store.beginBulk(Number.MAX_SAFE_INTEGER);
  const p = createPipeline({
    store,
    bus,
    correlator: createCorrelator({}),
    parse: parseLine,
    classify,
    now: () => Date.UTC(2026, 10, 28, 12),
  });
  p.setContext({ referenceMs: Date.UTC(2026, 10, 28, 12) });
  for (const line of LINES) p.line(line);
  await p.flush(null);
  return commits;
}

describe('announcing batches written by the writer thread', () => {
  it('tells listeners after the commit, with the rows of the batch', async () => {
    const bus = createEventBus();
    const seen: StoredBatch[] = [];
    bus.onBatch((b) => seen.push(b));
    const commits = await threaded(bus);
    expect(commits).toHaveLength(1);
    expect(seen).toHaveLength(0);
    // Written into the open transaction: the life has its id, but the rows are not committed yet.
    commits[0]!.written(1);
    expect(seen).toHaveLength(0);
    commits[0]!.committed?.();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.linesRead).toBe(2);
    expect(seen[0]!.attempts.map((a) => [a.recipient, a.outcome, a.cause])).toEqual([
      ['b@example.net', 'bounced', 'recipient-unknown'],
    ]);
    expect(seen[0]!.attempts[0]!.message?.id).toBe(1);
  });

  it('announces nothing when nobody listens', async () => {
    const bus = createEventBus();
    const emitted: StoredBatch[] = [];
    const spy: EventBus = { ...bus, emitBatch: (b) => void emitted.push(b) };
    const commits = await threaded(spy);
    commits[0]!.written(1);
    commits[0]!.committed?.();
    expect(emitted).toHaveLength(0);
  });

  it('knows whether anyone listens', () => {
    const bus = createEventBus();
    expect(bus.hasBatchListeners()).toBe(false);
    const off = bus.onBatch(() => undefined);
    expect(bus.hasBatchListeners()).toBe(true);
    off();
    expect(bus.hasBatchListeners()).toBe(false);
  });
});
