// Pairing a paniclog's panics with their copies in the main log: same shape, within a few seconds, one copy each.
import { describe, expect, it } from 'vitest';
import { pairPanicCopies, PANIC_COPY_WINDOW_MS } from '../../../server/mta/panic-copies.js';
import { warningShape } from '../../../server/mta/warning-shapes.js';

// Rows hold the shape of their lines, as the store's facts do.
const row = (text: string, count: number, first: number, last = first) => ({
  shape: warningShape(text),
  count,
  first,
  last,
});
const panic = (ts: number, text: string) => ({ ts, severity: 'panic' as const, text });
const LOCK = 'Failed to get write lock for /var/spool/exim4/db/retry.lockfile: timed out';

describe('pairPanicCopies', () => {
  it('takes one line of the same shape within the window, and leaves a panic without one alone', () => {
    const rows = [row(LOCK, 1, 10_000), row(LOCK, 1, 60_000)];
    const panics = [panic(10_000 + PANIC_COPY_WINDOW_MS, LOCK), panic(30_000, LOCK)];
    const { rows: left, alone } = pairPanicCopies(rows, (r) => r.shape, panics);
    expect(left).toEqual([row(LOCK, 1, 60_000)]);
    expect(alone).toEqual([panic(30_000, LOCK)]);
  });

  it('takes no more copies from a row than it counted, and none of another shape', () => {
    const rows = [row(LOCK, 2, 0, 100_000), row('Warning: something else', 3, 0, 100_000)];
    const panics = [1_000, 2_000, 3_000].map((ts) => panic(ts, LOCK));
    const { rows: left, alone } = pairPanicCopies(rows, (r) => r.shape, panics);
    expect(left).toEqual([rows[1]]);
    expect(alone).toEqual([panic(3_000, LOCK)]);
  });
});
