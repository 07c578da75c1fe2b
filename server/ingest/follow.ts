/**
 * Following live logs: our own follower (fs.watch + periodic stat + reads from a held descriptor) behind our own
 * checkpoint. Catch-up after a restart finds the file it stopped in by fingerprint among the rotated siblings.
 * docs/ingest.md says why this replaces tail-file.
 */

import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckpointReader } from '../../db/store/writer.js';
import type { Logger } from '../log.js';
import { endOfLastLine, findCopy, planCatchUp } from './catch-up.js';
import { identifyFile, type Identity } from './identify.js';
import type { Pipeline } from './pipeline.js';
import { cursorFor, flushCursor, readGzip, readPlain, type FileCursor } from './read-file.js';

export interface FollowOptions {
  /** With no checkpoint yet, start at the end of the current file instead of its beginning. */
  fromEnd?: boolean;
  signal?: AbortSignal;
  /** Stat interval (default 200 ms); fs.watch events wake the loop sooner. */
  pollMs?: number;
  /** After a rotation, how long the old file is still drained before switching (default 1000 ms). */
  rotationGraceMs?: number;
  /** Called every poll round (retention, counters). */
  onRound?: () => void;
}

export interface Follower {
  /** Resolves when the catch-up of every path is done (history read, following from here). */
  ready: Promise<void>;
  /** Resolves when following has stopped and the last batch and checkpoint are written. */
  done: Promise<void>;
  stop: () => Promise<void>;
}

interface Tracked {
  path: string;
  fh: FileHandle | null;
  cursor: FileCursor | null;
  /** When a different file (or none) was first seen at the path while the old one is still held. */
  rotatedAt: number | null;
  /** Offset of the last checkpoint written, to skip empty flushes. */
  savedOffset: number;
  started: boolean;
}

interface FollowDeps {
  pipeline: Pipeline;
  store: CheckpointReader;
  log: Logger;
  now: () => number;
}

const MIN_ROUND_MS = 100;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

export function followFiles(paths: readonly string[], deps: FollowDeps, options: FollowOptions): Follower {
  const { pipeline, store, log, now } = deps;
  const pollMs = options.pollMs ?? 200;
  const graceMs = options.rotationGraceMs ?? 1000;
  const tracked: Tracked[] = paths.map((path) => ({
    path,
    fh: null,
    cursor: null,
    rotatedAt: null,
    savedOffset: -1,
    started: false,
  }));
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  const wake = () => wakeUp?.();
  const shouldStop = () => stopping;
  const readOpts = { pipeline, shouldStop };

  const setContext = () => pipeline.setContext({ referenceMs: now() });

  const save = async (t: Tracked) => {
    if (!t.cursor) return;
    const offset = t.cursor.splitter.offset();
    if (pipeline.pending() === 0 && offset === t.savedOffset) return;
    await flushCursor(t.cursor, pipeline, t.fh?.fd ?? null);
    t.savedOffset = offset;
  };

  const release = async (t: Tracked) => {
    const fh = t.fh;
    t.fh = null;
    t.cursor = null;
    t.rotatedAt = null;
    t.savedOffset = -1;
    if (fh) await fh.close();
  };

  /** Opens the file now at the path and starts reading at `offset`. */
  const attach = async (t: Tracked, id: Identity, offset: number) => {
    const fh = await open(id.path, 'r');
    const st = await fh.stat();
    if (st.ino !== id.inode) {
      // Replaced between identify and open: the next round looks again.
      await fh.close();
      return;
    }
    t.fh = fh;
    t.cursor = cursorFor(id, pipeline, offset);
    t.savedOffset = offset > 0 && id.known?.offset === offset ? offset : -1;
  };

  /** Reads a whole rotated file from `offset`: it will not grow any more (or only briefly, before a reopen). */
  const readFinished = async (id: Identity, offset: number) => {
    const cursor = cursorFor(id, pipeline, offset);
    if (id.gzip) {
      try {
        await readGzip(id.path, cursor, readOpts);
        cursor.complete = !shouldStop();
      } catch (err) {
        log.warn({ path: id.path, err: (err as Error).message }, 'compressed file damaged');
      }
      if (!shouldStop()) cursor.splitter.end(pipeline.line);
      await flushCursor(cursor, pipeline, null);
      return;
    }
    const fh = await open(id.path, 'r');
    try {
      await readPlain(fh, cursor, readOpts);
      if (!shouldStop()) cursor.splitter.end(pipeline.line);
      await flushCursor(cursor, pipeline, fh.fd);
    } finally {
      await fh.close();
    }
  };

  /** First round for a path: resume from the checkpoint, reading what rotated away while we were down. */
  const catchUp = async (t: Tracked) => {
    t.started = true;
    setContext();
    const plan = await planCatchUp(t.path, store);
    if (plan.resumeIn === null) {
      const live = plan.reads[0]?.id;
      if (!live) return; // appears later: picked up by poll()
      if (options.fromEnd) {
        const fh = await open(live.path, 'r');
        const offset = await endOfLastLine(fh, live.size);
        await fh.close();
        await attach(t, live, offset);
        await save(t);
      } else {
        await attach(t, live, 0);
      }
      return;
    }
    log.info(
      {
        path: t.path,
        resumeIn: plan.resumeIn.path,
        offset: plan.resumeIn.known?.offset,
        files: plan.reads.length,
      },
      'resuming from checkpoint',
    );
    for (const { id, start, live } of plan.reads) {
      if (shouldStop()) break;
      if (live) await attach(t, id, start);
      else await readFinished(id, start);
    }
  };

  const poll = async (t: Tracked) => {
    if (!t.started) {
      await catchUp(t);
      if (!t.fh) return;
    }
    if (!t.fh || !t.cursor) {
      const id = await identifyFile(t.path, store);
      if (!id) return;
      setContext();
      // A file that appears later, or the new file after a rotation: from its checkpoint if read before, else from 0.
      const start = id.known && !id.known.complete && id.known.offset <= id.size ? id.known.offset : 0;
      if (id.known?.complete) return;
      await attach(t, id, start);
      if (!t.fh) return;
    }
    const cursor = t.cursor!;
    const fh = t.fh;
    setContext();
    await readPlain(fh, cursor, readOpts);
    if (shouldStop()) {
      await save(t);
      return;
    }
    let st: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      st = await stat(t.path);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    if (st === null || st.ino !== cursor.inode) {
      t.rotatedAt ??= now();
      if (now() - t.rotatedAt < graceMs) {
        // The writer may still append to the renamed file until it reopens: keep draining it a little longer.
        await save(t);
        return;
      }
      await readPlain(fh, cursor, readOpts);
      if (shouldStop()) {
        await save(t);
        return;
      }
      cursor.splitter.end(pipeline.line);
      await flushCursor(cursor, pipeline, fh.fd);
      log.info({ path: t.path, lines: pipeline.summary.linesRead }, 'log rotated: finished the old file');
      await release(t);
      if (st !== null) await poll(t);
      return;
    }
    if (st.size < cursor.splitter.readPosition()) {
      // Truncated in place (copytruncate): read what we had not read yet from the copy, if it is there.
      const copy = await findCopy(cursor.path, cursor.fingerprint);
      if (copy) {
        const copyFh = await open(copy, 'r');
        try {
          await readPlain(copyFh, cursor, readOpts);
        } finally {
          await copyFh.close();
        }
      }
      if (!shouldStop()) cursor.splitter.end(pipeline.line);
      await flushCursor(cursor, pipeline, null);
      log.warn(
        { path: t.path, copy },
        'log truncated in place (copytruncate): lines written during the copy are lost',
      );
      await release(t);
      const id = await identifyFile(t.path, store);
      if (id) await attach(t, id, 0);
      return;
    }
    await save(t);
  };

  const watchers: FSWatcher[] = [];
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    try {
      watchers.push(watch(dir, { persistent: false }, wake));
    } catch (err) {
      log.debug({ dir, err: (err as Error).message }, 'fs.watch unavailable: polling only');
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const loop = async () => {
    let first = true;
    let failures = 0;
    while (!shouldStop()) {
      const started = now();
      try {
        for (const t of tracked) {
          if (shouldStop()) break;
          await poll(t);
        }
        failures = 0;
      } catch (err) {
        failures++;
        log.error({ err: (err as Error).message }, 'follow round failed; retrying');
      }
      if (first) {
        first = false;
        markReady();
      }
      options.onRound?.();
      if (shouldStop()) break;
      // fs.watch wakes the loop sooner than pollMs; at least ~100 ms between rounds so steady writers get batched.
      await sleep(failures > 0 ? Math.min(5000, pollMs * 2 ** failures) : pollMs);
      const gap = MIN_ROUND_MS - (now() - started);
      if (gap > 0 && !shouldStop()) await pause(gap);
    }
    for (const w of watchers) w.close();
    for (const t of tracked) await release(t);
    markReady();
  };

  const done = loop();
  const stop = async () => {
    stopping = true;
    wake();
    await done;
  };
  if (options.signal) {
    if (options.signal.aborted) void stop();
    else options.signal.addEventListener('abort', () => void stop(), { once: true });
  }
  return { ready, done, stop };
}
