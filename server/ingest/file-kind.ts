/** What a named log path is on disk: a regular file is read by offset; anything else is said by name. */

import { constants, createReadStream, closeSync, openSync, statSync, type Stats } from 'node:fs';

export type FileKind =
  'file' | 'directory' | 'fifo' | 'character device' | 'block device' | 'socket' | 'missing';

const kindOf = (st: Stats): FileKind =>
  st.isFile()
    ? 'file'
    : st.isDirectory()
      ? 'directory'
      : st.isFIFO()
        ? 'fifo'
        : st.isCharacterDevice()
          ? 'character device'
          : st.isBlockDevice()
            ? 'block device'
            : 'socket';

/** The kind of what `path` names (through symbolic links), or 'missing'. */
export function fileKind(path: string): FileKind {
  try {
    return kindOf(statSync(path));
  } catch {
    return 'missing';
  }
}

const ARTICLE: Record<Exclude<FileKind, 'file' | 'missing'>, string> = {
  directory: 'a directory',
  fifo: 'a FIFO',
  'character device': 'a character device',
  'block device': 'a block device',
  socket: 'a socket',
};

/** "PATH: not a regular file (a character device)" for anything but a file or a missing path. */
export function notARegularFile(path: string, kind: Exclude<FileKind, 'file' | 'missing'>): string {
  return `${path}: not a regular file (${ARTICLE[kind]})`;
}

/**
 * A FIFO read as a stream (like stdin): opening one waits for its first writer, and a stop before one came
 * opens it for writing once, which ends that wait, so a stop is never held by a FIFO nobody writes.
 */
export function readFifo(path: string, signal: AbortSignal | undefined): NodeJS.ReadableStream {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  let opened = false;
  let retry: NodeJS.Timeout | null = null;
  const done = () => {
    opened = true;
    if (retry) clearInterval(retry);
    signal?.removeEventListener('abort', unblock);
  };
  stream.once('open', done);
  stream.once('close', done);
  const tryOpen = () => {
    if (opened) return;
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: our own open is not waiting yet; the next try finds it.
    }
  };
  function unblock() {
    tryOpen();
    if (!opened) retry ??= setInterval(tryOpen, 100);
  }
  if (signal?.aborted) unblock();
  else signal?.addEventListener('abort', unblock, { once: true });
  return stream;
}
