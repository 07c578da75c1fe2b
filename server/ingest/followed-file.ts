/**
 * One followed path, round by round: catch up from its checkpoint on the first round (through the files that
 * rotated away meanwhile), then read what was appended, and follow it through rotation and copytruncate.
 */

import { stat, open, type FileHandle } from 'node:fs/promises';
import type { LogLoss } from '../../db/store/fleet.js';
import type { CheckpointReader } from '../../db/store/writer.js';
import type { Logger } from '../log.js';
import { endOfLastLine, findCopy, planCatchUp, type CatchUpRead } from './catch-up.js';
import { rotatedSiblings } from './files.js';
import { identifyFile, type Identity } from './identify.js';
import {
  cursorFor,
  flushCursor,
  readGzip,
  readPlain,
  type FileCursor,
  type ReadOptions,
} from './read-file.js';

/** Where following one path stands. */
export interface FollowedFile {
  path: string;
  fh: FileHandle | null;
  cursor: FileCursor | null;
  /** When a different file (or none) was first seen at the path while the old one is still held. */
  rotatedAt: number | null;
  /** Offset of the last checkpoint written, to skip empty flushes. */
  savedOffset: number;
  started: boolean;
}

/** What every followed path of one follower shares. */
export interface FileFollowing extends ReadOptions {
  store: CheckpointReader;
  log: Logger;
  now: () => number;
  /** With no checkpoint yet, start at the end of the current file instead of its beginning. */
  fromEnd: boolean;
  /** After a rotation, how long the old file is still drained before switching. */
  graceMs: number;
  /** Told when rotation deleted log text before it was read. */
  onLoss?: (loss: Omit<LogLoss, 'host'>) => void;
}

export const followedFile = (path: string): FollowedFile => ({
  path,
  fh: null,
  cursor: null,
  rotatedAt: null,
  savedOffset: -1,
  started: false,
});

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

const setContext = (f: FileFollowing) => f.pipeline.setContext({ referenceMs: f.now() });

async function save(f: FileFollowing, t: FollowedFile): Promise<void> {
  if (!t.cursor) return;
  const offset = t.cursor.splitter.offset();
  if (f.pipeline.pending() === 0 && offset === t.savedOffset) return;
  await flushCursor(t.cursor, f.pipeline, t.fh?.fd ?? null);
  t.savedOffset = offset;
}

export async function release(t: FollowedFile): Promise<void> {
  const fh = t.fh;
  t.fh = null;
  t.cursor = null;
  t.rotatedAt = null;
  t.savedOffset = -1;
  if (fh) await fh.close();
}

/** Opens the file now at the path and starts reading at `offset`. */
async function attach(f: FileFollowing, t: FollowedFile, id: Identity, offset: number): Promise<void> {
  const fh = await open(id.path, 'r');
  const st = await fh.stat();
  if (st.ino !== id.inode) {
    // Replaced between identify and open: the next round looks again.
    await fh.close();
    return;
  }
  t.fh = fh;
  t.cursor = cursorFor(id, f.pipeline, offset);
  t.savedOffset = offset > 0 && id.known?.offset === offset ? offset : -1;
}

/** Reads a whole rotated file from `offset`: it will not grow any more (or only briefly, before a reopen). */
async function readFinished(f: FileFollowing, id: Identity, offset: number): Promise<void> {
  const cursor = cursorFor(id, f.pipeline, offset);
  if (id.gzip) {
    try {
      await readGzip(id.path, cursor, f);
      cursor.complete = !f.shouldStop();
    } catch (err) {
      f.log.warn({ path: id.path, err: (err as Error).message }, 'compressed file damaged');
    }
    if (!f.shouldStop()) cursor.splitter.end(f.pipeline.line);
    await flushCursor(cursor, f.pipeline, null);
    return;
  }
  const fh = await open(id.path, 'r');
  try {
    await readPlain(fh, cursor, f);
    if (!f.shouldStop()) cursor.splitter.end(f.pipeline.line);
    await flushCursor(cursor, f.pipeline, fh.fd);
  } finally {
    await fh.close();
  }
}

/** Reads a catch-up plan: finished files whole from their start, the live one attached to follow on. */
async function readPlan(f: FileFollowing, t: FollowedFile, reads: readonly CatchUpRead[]): Promise<void> {
  for (const { id, start, live } of reads) {
    if (f.shouldStop()) break;
    if (live) await attach(f, t, id, start);
    else await readFinished(f, id, start);
  }
}

/**
 * The file this path was last read in has a checkpoint but is gone (rotated away and deleted while we were not
 * reading): what it held past the checkpoint is lost. Says so, with the unread bytes known at the checkpoint.
 */
async function noticeLoss(f: FileFollowing, t: FollowedFile): Promise<number | null> {
  const last = await f.store.latestForPath(t.path);
  if (!last || last.complete) return null;
  const lostBytes = last.size !== null ? Math.max(0, last.size - last.offset) : 0;
  f.log.warn(
    { path: t.path, lostBytes, lostFrom: new Date(last.updatedAt).toISOString() },
    'the file last read here was rotated away before it was read to its end: its unread lines are lost',
  );
  f.onLoss?.({ path: t.path, lostBytes, lostFrom: last.updatedAt, detectedAt: f.now() });
  return last.updatedAt;
}

/** First round for a path: resume from the checkpoint, reading what rotated away while we were down. */
async function catchUp(f: FileFollowing, t: FollowedFile): Promise<void> {
  t.started = true;
  setContext(f);
  const plan = await planCatchUp(t.path, f.store);
  if (plan.resumeIn === null) {
    const lostFrom = await noticeLoss(f, t);
    if (lostFrom !== null) {
      // Not a first start: what rotated in since the last checkpoint is read, the live file after it.
      await readPlan(f, t, [...(await newerSiblings(t.path, f.store, lostFrom)), ...plan.reads]);
      return;
    }
    const live = plan.reads[0]?.id;
    if (!live) return; // appears later: picked up by poll()
    if (f.fromEnd) {
      const fh = await open(live.path, 'r');
      const offset = await endOfLastLine(fh, live.size);
      await fh.close();
      await attach(f, t, live, offset);
      await save(f, t);
    } else {
      await attach(f, t, live, 0);
    }
    return;
  }
  f.log.info(
    {
      path: t.path,
      resumeIn: plan.resumeIn.path,
      offset: plan.resumeIn.known?.offset,
      files: plan.reads.length,
    },
    'resuming from checkpoint',
  );
  await readPlan(f, t, plan.reads);
}

/** One round for a path: read what is new, and notice a rotation or a truncation. */
export async function pollFile(f: FileFollowing, t: FollowedFile): Promise<void> {
  if (!t.started) {
    await catchUp(f, t);
    if (!t.fh) return;
  }
  if (!t.fh || !t.cursor) {
    const id = await identifyFile(t.path, f.store);
    if (!id) return;
    setContext(f);
    // A file that appears later, or the new file after a rotation: from its checkpoint if read before, else from 0.
    const start = id.known && !id.known.complete && id.known.offset <= id.size ? id.known.offset : 0;
    if (id.known?.complete) return;
    await attach(f, t, id, start);
    if (!t.fh) return;
  }
  const cursor = t.cursor!;
  const fh = t.fh;
  setContext(f);
  await readPlain(fh, cursor, f);
  if (f.shouldStop()) {
    await save(f, t);
    return;
  }
  let st: Awaited<ReturnType<typeof stat>> | null = null;
  try {
    st = await stat(t.path);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  if (st === null || st.ino !== cursor.inode) {
    await followRotation(f, t, st !== null);
    return;
  }
  if (st.size < cursor.splitter.readPosition()) {
    await rescueTruncated(f, t);
    return;
  }
  await save(f, t);
}

/**
 * The file at the path was renamed away (or removed): drain the old one for a grace period (the writer may still
 * append to it until it reopens), then finish it and go on with the new file, if there is one yet.
 */
async function followRotation(f: FileFollowing, t: FollowedFile, replaced: boolean): Promise<void> {
  const cursor = t.cursor!;
  const fh = t.fh!;
  t.rotatedAt ??= f.now();
  if (f.now() - t.rotatedAt < f.graceMs) {
    // The writer may still append to the renamed file until it reopens: keep draining it a little longer.
    await save(f, t);
    return;
  }
  await readPlain(fh, cursor, f);
  if (f.shouldStop()) {
    await save(f, t);
    return;
  }
  cursor.splitter.end(f.pipeline.line);
  await flushCursor(cursor, f.pipeline, fh.fd);
  const finished = { fingerprint: cursor.fingerprint, mtimeMs: (await fh.stat()).mtimeMs };
  f.log.info({ path: t.path, lines: f.pipeline.summary.linesRead }, 'log rotated: finished the old file');
  await release(t);
  if (replaced) await afterRotation(f, t, finished);
}

/**
 * Goes on after the file it held was finished. While writes waited for the store, the log may have rotated more
 * than once: files that came after the finished one and rotated away meanwhile are read whole before the live one.
 */
async function afterRotation(
  f: FileFollowing,
  t: FollowedFile,
  finished: { fingerprint: string; mtimeMs: number },
): Promise<void> {
  setContext(f);
  const plan = await planCatchUp(t.path, f.store);
  const reads =
    plan.resumeIn === null
      ? // The finished file is gone already: every file written since it was is new.
        [...(await newerSiblings(t.path, f.store, finished.mtimeMs)), ...plan.reads.filter((r) => r.live)]
      : plan.reads.filter((r) => r.id.fingerprint !== finished.fingerprint);
  await readPlan(f, t, reads);
}

/** Rotated siblings not read yet and last written at or after `mtimeMs`, oldest first. */
async function newerSiblings(path: string, store: CheckpointReader, mtimeMs: number): Promise<CatchUpRead[]> {
  const reads: CatchUpRead[] = [];
  for (const p of rotatedSiblings(path)) {
    const id = await identifyFile(p, store);
    if (id && !id.known && id.mtimeMs >= mtimeMs) reads.push({ id, start: 0, live: false });
  }
  return reads;
}

/** Truncated in place (copytruncate): read what was not read yet from the copy, if it is there, then start over. */
async function rescueTruncated(f: FileFollowing, t: FollowedFile): Promise<void> {
  const cursor = t.cursor!;
  const copy = await findCopy(cursor.path, cursor.fingerprint);
  if (copy) {
    const copyFh = await open(copy, 'r');
    try {
      await readPlain(copyFh, cursor, f);
    } finally {
      await copyFh.close();
    }
  }
  if (!f.shouldStop()) cursor.splitter.end(f.pipeline.line);
  await flushCursor(cursor, f.pipeline, null);
  f.log.warn(
    { path: t.path, copy },
    'log truncated in place (copytruncate): lines written during the copy are lost',
  );
  await release(t);
  const id = await identifyFile(t.path, f.store);
  if (id) await attach(f, t, id, 0);
}

/** Bytes of the path's log not read yet: the rest of the file held, and the file now at the path when it is another. */
export async function unreadBytes(t: FollowedFile): Promise<number> {
  let held = 0;
  if (t.fh && t.cursor) {
    held = Math.max(0, (await t.fh.stat()).size - t.cursor.splitter.offset());
  }
  try {
    const st = await stat(t.path);
    return t.cursor && st.ino === t.cursor.inode ? held : held + st.size;
  } catch (err) {
    if (isMissing(err)) return held;
    throw err;
  }
}
