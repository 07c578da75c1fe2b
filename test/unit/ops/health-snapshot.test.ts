// Health answers a probe from its last check of the store: a store that is slow to answer (a write held behind a
// full disk, a busy database) does not hold the probe, and what ingest says on the bus counts at once.
import { describe, expect, it } from 'vitest';
import type { StoreHealth, StoreReader } from '../../../db/store/reader.js';
import { createEventBus } from '../../../server/events.js';
import { createHealth } from '../../../server/services/health.js';
import { fakeClock } from './helpers.js';

const STORE: StoreHealth = {
  schemaVersion: 9,
  newestAttemptTs: 1,
  newestRejectTs: null,
  lineStats: {},
  sources: [],
  indexesMissing: 0,
};

/** A reader whose health answers are held until `answer()` (or answered at once while `prompt`). */
function heldReader() {
  let held: ((s: StoreHealth) => void)[] = [];
  let failing: Error | null = null;
  const state = { prompt: true, asked: 0 };
  const reader = {
    storeHealth: () => {
      state.asked++;
      if (failing) return Promise.reject(failing);
      return state.prompt ? Promise.resolve(STORE) : new Promise<StoreHealth>((r) => held.push(r));
    },
    probeWrite: () => Promise.resolve(),
    integrityProblems: () => Promise.resolve([]),
  } as unknown as StoreReader;
  return {
    reader,
    state,
    fail: (err: Error) => (failing = err),
    answer: () => {
      for (const r of held) r(STORE);
      held = [];
    },
  };
}

describe('health snapshot', () => {
  it('answers a probe from the last check while the store is slow to answer, with ingest as it is now', async () => {
    const store = heldReader();
    const clock = fakeClock();
    const bus = createEventBus();
    const health = createHealth({
      reader: store.reader,
      bus,
      now: clock.now,
      following: true,
      staleAfterSeconds: 60,
      checkEveryMs: 60_000,
    });
    expect(health.current()).toBeNull();
    await health.start();
    store.state.prompt = false;
    const checking = health.check(); // the store does not answer
    clock.advance(61_000);
    expect(health.current()).toMatchObject({ ok: false, checks: { ingest: { ok: false, ageSeconds: 61 } } });
    bus.emitHeartbeat();
    expect(health.current()).toMatchObject({
      ok: true,
      schemaVersion: 9,
      checks: { database: { ok: true } },
    });
    bus.emitIngestFailure('database or disk is full');
    expect(health.current()?.checks.ingest).toMatchObject({ ok: false, error: 'database or disk is full' });
    store.answer();
    await checking;
    health.stop();
  });

  it('checks the store again when something that used it saw it fail, one check at a time', async () => {
    const store = heldReader();
    const health = createHealth({
      reader: store.reader,
      now: Date.now,
      following: false,
      staleAfterSeconds: 60,
      checkEveryMs: 60_000,
    });
    await health.start();
    expect(health.current()?.ok).toBe(true);
    const asked = store.state.asked;
    store.fail(new Error('The database connection is not open'));
    health.recheck();
    health.recheck();
    await health.check();
    expect(store.state.asked).toBe(asked + 1);
    expect(health.current()).toMatchObject({
      ok: false,
      checks: { database: { ok: false, error: 'The database connection is not open' } },
    });
    health.stop();
  });
});
