/**
 * Following live logs: our own follower (fs.watch + periodic stat + reads from a held descriptor) behind our own
 * checkpoint. Catch-up after a restart finds the file it stopped in by fingerprint among the rotated siblings.
 * docs/ingest.md says why this replaces tail-file.
 */

import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckpointReader } from '../../db/store/writer.js';
import type { Logger } from '../log.js';
import type { LogLoss } from '../../db/store/fleet.js';
import { followedFile, pollFile, release, unreadBytes, type FileFollowing } from './followed-file.js';
import type { Pipeline } from './pipeline.js';

export interface FollowOptions {
  /** With no checkpoint yet, start at the end of the current file instead of its beginning. */
  fromEnd?: boolean;
  signal?: AbortSignal;
  /** Stat interval (default 200 ms); fs.watch events wake the loop sooner. */
  pollMs?: number;
  /** After a rotation, how long the old file is still drained before switching (default 1000 ms). */
  rotationGraceMs?: number;
  /** Called every poll round (retention, counters), with the round's failure if it failed. */
  onRound?: (failure: Error | null) => void;
}

export interface Follower {
  /** Resolves when the catch-up of every path is done (history read, following from here). */
  ready: Promise<void>;
  /** Resolves when following has stopped and the last batch and checkpoint are written. */
  done: Promise<void>;
  stop: () => Promise<void>;
  /** Bytes of the followed logs not read yet (files only). */
  unreadBytes?: () => Promise<number>;
}

interface FollowDeps {
  pipeline: Pipeline;
  store: CheckpointReader;
  log: Logger;
  now: () => number;
  /** Told when rotation deleted log text before it was read. */
  onLoss?: (loss: Omit<LogLoss, 'host'>) => void;
}

const MIN_ROUND_MS = 100;
/** The longest wait between tries while writes fail (a full disk): retrying faster only burns the CPU. */
const MAX_BACKOFF_MS = 60_000;
/** A failure that lasts is logged once per this period, not once per try. */
const FAILURE_LOG_MS = 60_000;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A sleep that `wake` cuts short (fs.watch events: something changed, look now). */
function createWakeableSleep(): { sleep: (ms: number) => Promise<void>; wake: () => void } {
  let wakeUp: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        }
        wakeUp = done;
      }),
    wake: () => wakeUp?.(),
  };
}

/** Watches the folders of the paths (a rename or a write there wakes the loop); polling covers the rest. */
function watchFolders(paths: readonly string[], wake: () => void, log: Logger): FSWatcher[] {
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    try {
      watchers.push(watch(dir, { persistent: false }, wake));
    } catch (err) {
      log.debug({ dir, err: (err as Error).message }, 'fs.watch unavailable: polling only');
    }
  }
  return watchers;
}

export function followFiles(paths: readonly string[], deps: FollowDeps, options: FollowOptions): Follower {
  const { log, now } = deps;
  const pollMs = options.pollMs ?? 200;
  let stopping = false;
  const shouldStop = () => stopping;
  const following: FileFollowing = {
    ...deps,
    shouldStop,
    fromEnd: options.fromEnd ?? false,
    graceMs: options.rotationGraceMs ?? 1000,
  };
  const files = paths.map(followedFile);
  const { sleep, wake } = createWakeableSleep();
  // Only a stop cuts a back-off short: a log that keeps growing must not.
  const backoff = createWakeableSleep();
  const watchers = watchFolders(paths, wake, log);

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const loop = async () => {
    let first = true;
    let failures = 0;
    let loggedAt = -Infinity;
    while (!shouldStop()) {
      const started = now();
      let failure: Error | null = null;
      try {
        // What the store refused is written before anything more is read: nothing piles up in memory.
        await deps.pipeline.retry();
        for (const t of files) {
          if (shouldStop()) break;
          await pollFile(following, t);
        }
        failures = 0;
      } catch (err) {
        failures++;
        failure = err instanceof Error ? err : new Error(String(err));
        if (now() - loggedAt >= FAILURE_LOG_MS) {
          loggedAt = now();
          log.error(
            { err: failure.message, failures },
            'follow round failed; retrying with back-off up to a minute',
          );
        }
      }
      if (first) {
        first = false;
        markReady();
      }
      options.onRound?.(failure);
      if (shouldStop()) break;
      // fs.watch wakes the loop sooner than pollMs; at least ~100 ms between rounds so steady writers get batched.
      // While rounds fail, a change in the folder does not cut the back-off short.
      if (failures > 0) await backoff.sleep(Math.min(MAX_BACKOFF_MS, pollMs * 2 ** failures));
      else await sleep(pollMs);
      const gap = MIN_ROUND_MS - (now() - started);
      if (gap > 0 && !shouldStop()) await pause(gap);
    }
    for (const w of watchers) w.close();
    for (const t of files) await release(t);
    markReady();
  };

  const done = loop();
  const stop = async () => {
    stopping = true;
    wake();
    backoff.wake();
    await done;
  };
  if (options.signal) {
    if (options.signal.aborted) void stop();
    else options.signal.addEventListener('abort', () => void stop(), { once: true });
  }
  const unread = async () => {
    let total = 0;
    for (const t of files) total += await unreadBytes(t).catch(() => 0);
    return total;
  };
  return { ready, done, stop, unreadBytes: unread };
}
