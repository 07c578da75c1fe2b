/** Reading one log file into the pipeline from a byte offset: plain files through a held descriptor, .gz by stream. */

import { fstatSync, readSync, createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { SourceCheckpoint } from '../../db/store/checkpoints.js';
import { FINGERPRINT_BYTES, fingerprintLength, fingerprintOf } from './fingerprint.js';
import type { Identity } from './identify.js';
import { createLineSplitter, type LineSplitter } from './lines.js';
import type { Pipeline } from './pipeline.js';

/** Bytes read at a time: about 2000 lines, so a batch ends close to its size. */
const CHUNK_BYTES = 256 * 1024;

/** Where reading of one file stands. */
export interface FileCursor {
  path: string;
  inode: number | null;
  gzip: boolean;
  fingerprint: string;
  /** The fingerprint stored before, when this file was first read under a shorter one. */
  previousFingerprint: string | null;
  splitter: LineSplitter;
  /** Lines of this file read before this run. */
  baseLines: number;
  /** pipeline.summary.linesRead when this cursor started. */
  startLinesRead: number;
  /** Set once every byte of the file is read and it will not change (.gz). */
  complete: boolean;
}

export function cursorFor(id: Identity, pipeline: Pipeline, startOffset: number): FileCursor {
  const known = id.known;
  return {
    path: id.path,
    inode: id.inode,
    gzip: id.gzip,
    fingerprint: id.fingerprint,
    previousFingerprint: known && known.fingerprint !== id.fingerprint ? known.fingerprint : null,
    splitter: createLineSplitter(startOffset),
    baseLines: known && startOffset > 0 ? known.lines : 0,
    startLinesRead: pipeline.summary.linesRead,
    complete: false,
  };
}

/** A plain file shorter than the fingerprint length when opened: take a longer fingerprint once it grew. */
function upgradeFingerprint(cursor: FileCursor, fd: number | null): void {
  if (cursor.gzip || fd === null || fingerprintLength(cursor.fingerprint) >= FINGERPRINT_BYTES) return;
  const buf = Buffer.alloc(FINGERPRINT_BYTES);
  const n = readSync(fd, buf, 0, FINGERPRINT_BYTES, 0);
  const next = fingerprintOf(buf.subarray(0, n));
  if (next !== cursor.fingerprint) {
    cursor.previousFingerprint ??= cursor.fingerprint;
    cursor.fingerprint = next;
  }
}

function checkpointOf(cursor: FileCursor, pipeline: Pipeline, fd: number | null): SourceCheckpoint {
  upgradeFingerprint(cursor, fd);
  const cp: SourceCheckpoint = {
    path: cursor.path,
    inode: cursor.inode,
    fingerprint: cursor.fingerprint,
    offset: cursor.splitter.offset(),
    // What the file held when last seen: after a loss to rotation, the unread rest of it is known lost.
    size: fd === null ? null : fstatSync(fd).size,
    lines: cursor.baseLines + pipeline.summary.linesRead - cursor.startLinesRead,
    complete: cursor.complete,
    previousFingerprint: cursor.previousFingerprint,
  };
  return cp;
}

/** Hands the pending lines to the store with this file's checkpoint (nothing for a file that is still empty). */
export async function flushCursor(cursor: FileCursor, pipeline: Pipeline, fd: number | null): Promise<void> {
  const cp = checkpointOf(cursor, pipeline, fd);
  if (cp.offset === 0 && pipeline.pending() === 0) return;
  await pipeline.flush(cp.offset === 0 ? null : cp);
  cursor.previousFingerprint = null;
}

/**
 * flushCursor, then waits while the store holds batches it has not written yet, so reading never runs far
 * ahead of writing.
 */
export async function flushAndSettle(
  cursor: FileCursor,
  pipeline: Pipeline,
  fd: number | null,
): Promise<void> {
  await flushCursor(cursor, pipeline, fd);
  await pipeline.settle();
}

export interface ReadOptions {
  pipeline: Pipeline;
  shouldStop: () => boolean;
  /** Called after each chunk with the bytes read so far in this call (progress). */
  onChunk?: (bytes: number) => void;
}

/**
 * Reads a plain file from the cursor's position up to its current end, flushing whenever a batch is full.
 * Returns the bytes read. Stops early (between chunks) when asked to.
 */
export async function readPlain(fh: FileHandle, cursor: FileCursor, opts: ReadOptions): Promise<number> {
  const { pipeline } = opts;
  // No more than a batch at once: where batches are small (`run` writes on the thread that serves), so are reads.
  const size = Math.min(CHUNK_BYTES, pipeline.batchChars());
  const buf = Buffer.allocUnsafe(size);
  const onLine = pipeline.line;
  let total = 0;
  while (!opts.shouldStop()) {
    const { bytesRead } = await fh.read(buf, 0, size, cursor.splitter.readPosition());
    if (bytesRead === 0) break;
    total += bytesRead;
    cursor.splitter.push(buf.subarray(0, bytesRead), onLine);
    if (pipeline.full()) await flushAndSettle(cursor, pipeline, fh.fd);
    opts.onChunk?.(total);
  }
  return total;
}

/** Reads a .gz file from a decompressed byte offset to its end. Returns the compressed bytes read. */
export async function readGzip(path: string, cursor: FileCursor, opts: ReadOptions): Promise<number> {
  const { pipeline } = opts;
  const onLine = pipeline.line;
  let skip = cursor.splitter.readPosition();
  let compressed = 0;
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  input.on('data', (c) => {
    compressed += c.length;
  });
  const gunzip = input.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (opts.shouldStop()) break;
      let data = chunk;
      if (skip > 0) {
        if (data.length <= skip) {
          skip -= data.length;
          continue;
        }
        data = data.subarray(skip);
        skip = 0;
      }
      cursor.splitter.push(data, onLine);
      if (pipeline.full()) await flushAndSettle(cursor, pipeline, null);
      opts.onChunk?.(compressed);
    }
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  return compressed;
}
