// A follower whose store refuses every write (a full disk) waits twice as long after each failed round, up to a
// minute, and logs the failure once a minute, not once per round (issue 23, item 10). Fake timers: no test sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckpointReader } from '../../../db/store/writer.js';
import { followFiles } from '../../../server/ingest/follow.js';
import type { Pipeline } from '../../../server/ingest/pipeline.js';
import { silentLogger } from '../../../server/log.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function fullDiskFollower(pollMs: number) {
  const rounds: (Error | null)[] = [];
  const log = silentLogger();
  const errors = vi.spyOn(log, 'error');
  // The store refuses what it holds before anything more is read: every round fails at its first step.
  const pipeline = { retry: () => Promise.reject(new Error('database or disk is full')) };
  const follower = followFiles(
    ['/nonexistent-bouncewatch-dir/mail.log'],
    { pipeline: pipeline as unknown as Pipeline, store: {} as CheckpointReader, log, now: Date.now },
    { pollMs, onRound: (failure) => rounds.push(failure) },
  );
  return { rounds, errors, follower };
}

describe('a follower on a full disk', () => {
  it('doubles its wait after each failed round, up to a minute', async () => {
    const { rounds, follower } = fullDiskFollower(100);
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]?.message).toBe('database or disk is full');
    // After failure n the next round comes 100 ms * 2^n later: 200, 400, 800 ms...
    for (let n = 1; n <= 9; n++) {
      const wait = 100 * 2 ** n;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(rounds, `still waiting after failure ${n}`).toHaveLength(n);
      await vi.advanceTimersByTimeAsync(1);
      expect(rounds, `next round after failure ${n}`).toHaveLength(n + 1);
    }
    // 100 ms * 2^10 is past a minute: the wait stays at a minute from here on.
    for (let n = 10; n <= 12; n++) {
      await vi.advanceTimersByTimeAsync(59_999);
      expect(rounds).toHaveLength(n);
      await vi.advanceTimersByTimeAsync(1);
      expect(rounds).toHaveLength(n + 1);
    }
    await follower.stop();
  });

  it('logs the failure once a minute, not once per round', async () => {
    const { rounds, errors, follower } = fullDiskFollower(10);
    await vi.advanceTimersByTimeAsync(59_000);
    // Rounds at 0, 20, 60, 140 ... ms: a dozen within the minute, one line in the log.
    expect(rounds.length).toBeGreaterThan(10);
    expect(errors).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(62_000);
    expect(errors).toHaveBeenCalledTimes(2);
    await follower.stop();
  });
});
