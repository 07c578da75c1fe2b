/** Import of whole files (plain, .gz, rotated sets) and of a stream, resuming each file from its checkpoint. */

import { open } from 'node:fs/promises';
import type { CheckpointReader } from '../../db/store/writer.js';
import type { Logger } from '../log.js';
import { fileKind, readFifo, type FileKind } from './file-kind.js';
import { expandGlobs, orderForImport, rotationName } from './files.js';
import { identifyFile } from './identify.js';
import { createLineSplitter } from './lines.js';
import { mailLines } from './ingest-summary.js';
import type { Pipeline } from './pipeline.js';
import { cursorFor, flushAndSettle, readGzip, readPlain } from './read-file.js';

export interface ImportProgress {
  path: string;
  /** Index of the file being read and the number of files. */
  file: number;
  files: number;
  /** Bytes read of all files so far, and their total size on disk (compressed for .gz). */
  bytesDone: number;
  bytesTotal: number;
  linesRead: number;
}

export interface ImportOptions {
  year?: number;
  onProgress?: (p: ImportProgress) => void;
  shouldStop?: () => boolean;
  /** Aborted by a stop: a FIFO nobody writes yet is not waited for. */
  signal?: AbortSignal;
  /** Told how many bytes of log text are about to be read (estimated for .gz), before reading starts. */
  beforeRead?: (bytes: number) => Promise<void>;
}

/** Typical compression ratio of mail logs, to estimate the text in a .gz from its size. */
const GZIP_RATIO = 8;

export interface ImportFileResult {
  path: string;
  /**
   * 'read' (new lines taken; a FIFO is read as a stream), 'unchanged' (already read to its end), and not read:
   * 'missing', 'directory', 'special' (a device or a socket, said in `kind`).
   */
  status: 'read' | 'unchanged' | 'missing' | 'directory' | 'special';
  /** What a path that is not a regular file is. */
  kind?: FileKind;
  lines: number;
  /** Lines of Postfix or Exim among them (none: this is probably not a mail log). */
  mailLines: number;
  /** Whether its lines' times carry a year (null: not told by its first line, or not read). */
  dated: boolean | null;
  /** Modification time: the reference for the year of times that carry none. */
  mtimeMs: number | null;
}

/** A plain file that nobody writes any more: its unterminated last line counts as a line. */
const isFinished = (path: string, mtimeMs: number, nowMs: number): boolean =>
  rotationName(path).age > 0 || nowMs - mtimeMs > 60_000;

export async function importFiles(
  patterns: readonly string[],
  deps: { pipeline: Pipeline; store: CheckpointReader; log: Logger; now: () => number },
  options: ImportOptions,
): Promise<ImportFileResult[]> {
  const { pipeline, store, log, now } = deps;
  const paths = orderForImport(expandGlobs(patterns));
  const shouldStop = options.shouldStop ?? (() => false);
  const ids = [];
  let bytesTotal = 0;
  for (const p of paths) {
    const id = await identifyFile(p, store);
    ids.push({ path: p, id });
    if (id) bytesTotal += id.size;
  }
  let toRead = 0;
  for (const { id } of ids) {
    if (!id || id.known?.complete) continue;
    toRead += id.gzip ? id.size * GZIP_RATIO : Math.max(0, id.size - (id.known?.offset ?? 0));
  }
  await options.beforeRead?.(toRead);
  const results: ImportFileResult[] = [];
  let bytesBefore = 0;
  for (let i = 0; i < ids.length && !shouldStop(); i++) {
    const { path, id } = ids[i]!;
    if (!id) {
      // Only a regular file is identified: say what else the path is (`ingest /var/log/`, `ingest /dev/zero`).
      const kind = fileKind(path);
      if (kind === 'fifo') {
        results.push(await importFifo(path, deps, options));
        continue;
      }
      log.info({ path, kind }, kind === 'missing' ? 'log file not found' : 'not a regular file');
      results.push({
        path,
        status: kind === 'missing' || kind === 'directory' ? kind : 'special',
        ...(kind === 'missing' || kind === 'directory' ? {} : { kind }),
        lines: 0,
        mailLines: 0,
        dated: null,
        mtimeMs: null,
      });
      continue;
    }
    const known = id.known;
    if (known && (known.complete || (!id.gzip && known.offset >= id.size))) {
      results.push({
        path,
        status: 'unchanged',
        lines: 0,
        mailLines: 0,
        dated: id.dated,
        mtimeMs: id.mtimeMs,
      });
      bytesBefore += id.size;
      continue;
    }
    const start = known ? known.offset : 0;
    pipeline.setContext(
      options.year !== undefined
        ? { referenceMs: id.mtimeMs, year: options.year }
        : { referenceMs: id.mtimeMs },
    );
    const cursor = cursorFor(id, pipeline, start);
    const linesBefore = pipeline.summary.linesRead;
    const mailBefore = mailLines(pipeline.summary);
    const progress = (bytes: number) =>
      options.onProgress?.({
        path,
        file: i + 1,
        files: ids.length,
        bytesDone: bytesBefore + (id.gzip ? bytes : start + bytes),
        bytesTotal,
        linesRead: pipeline.summary.linesRead,
      });
    const readOpts = { pipeline, shouldStop, onChunk: progress };
    if (id.gzip) {
      try {
        await readGzip(path, cursor, readOpts);
        if (!shouldStop()) {
          cursor.splitter.end(pipeline.line);
          cursor.complete = true;
        }
      } catch (err) {
        log.warn(
          { path, err: (err as Error).message },
          'compressed file damaged: kept the lines before the damage',
        );
      }
      await flushAndSettle(cursor, pipeline, null);
    } else {
      const fh = await open(path, 'r');
      try {
        await readPlain(fh, cursor, readOpts);
        if (!shouldStop() && isFinished(path, id.mtimeMs, now())) cursor.splitter.end(pipeline.line);
        await flushAndSettle(cursor, pipeline, fh.fd);
      } finally {
        await fh.close();
      }
    }
    bytesBefore += id.size;
    results.push({
      path,
      status: 'read',
      lines: pipeline.summary.linesRead - linesBefore,
      mailLines: mailLines(pipeline.summary) - mailBefore,
      dated: id.dated,
      mtimeMs: id.mtimeMs,
    });
  }
  return results;
}

/** A FIFO named among the files, read as a stream to its writers' end; no checkpoint (it holds nothing to find again). */
async function importFifo(
  path: string,
  deps: { pipeline: Pipeline; now: () => number },
  options: ImportOptions,
): Promise<ImportFileResult> {
  const { pipeline } = deps;
  const linesBefore = pipeline.summary.linesRead;
  const mailBefore = mailLines(pipeline.summary);
  await importStream(readFifo(path, options.signal), deps, {
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    path,
    status: 'read',
    kind: 'fifo',
    lines: pipeline.summary.linesRead - linesBefore,
    mailLines: mailLines(pipeline.summary) - mailBefore,
    dated: null,
    mtimeMs: null,
  };
}

/** Reads a stream (stdin) to its end. No checkpoint: a stream cannot be recognised when fed again. */
export async function importStream(
  stream: NodeJS.ReadableStream,
  deps: { pipeline: Pipeline; now: () => number },
  options: { year?: number; signal?: AbortSignal },
): Promise<void> {
  const { pipeline, now } = deps;
  const { signal } = options;
  pipeline.setContext(
    options.year !== undefined ? { referenceMs: now(), year: options.year } : { referenceMs: now() },
  );
  const splitter = createLineSplitter(0);
  const chunks = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  // A pipe may stay silent for ever: a stop must not wait for its next chunk.
  const stopped = new Promise<null>((resolve) => {
    if (signal?.aborted) resolve(null);
    signal?.addEventListener('abort', () => resolve(null), { once: true });
  });
  for (;;) {
    const next = await Promise.race([chunks.next(), stopped]);
    if (next === null || next.done) break;
    const chunk = next.value;
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, pipeline.line);
    if (pipeline.full()) await pipeline.flush(null);
    if (signal?.aborted) break;
  }
  if (signal?.aborted) {
    // Stops reading (a pipe's writer then gets EPIPE); the unterminated last line was cut by the stop, not written.
    void chunks.return?.();
  } else {
    splitter.end(pipeline.line);
  }
  await pipeline.flush(null);
}
