/**
 * Exim's paniclog: the lines Exim writes when it cannot go on (a broken configuration, a database it cannot open).
 * Read where the file is readable, its tail only, each line a panic for the Server view's warnings by shape.
 */

import { open } from 'node:fs/promises';
import { eximIdLength } from '../../parsers/exim.js';
import type { WarningLike } from './warning-shapes.js';

/** Only the end of a paniclog that nobody emptied is read: enough for any range the view shows. */
const TAIL_BYTES = 1 << 20;

/** `2026-11-20 10:00:00`, optional `.123` and `+0100` (log_timezone), optional `[pid]`, then the text. */
const LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d{3})?(?: ([+-])(\d\d)(\d\d))?(?: \[\d+\])? (.*)$/;

export type PaniclogState =
  | { status: 'off'; path: null; readAt: null; message: null; lines: [] }
  | { status: 'ok'; path: string; readAt: number; message: null; lines: WarningLike[] }
  | {
      status: 'absent' | 'not-permitted' | 'failed';
      path: string;
      readAt: number;
      message: string;
      lines: [];
    };

/** The panics of a paniclog's text; a line without a time (a long panic's continuation) goes with the one before. */
export function parsePaniclog(text: string): WarningLike[] {
  const out: WarningLike[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.slice(0, 4_000);
    const m = LINE.exec(line);
    if (!m) {
      const last = out[out.length - 1];
      if (last && line.trim() !== '' && last.text.length < 2_000) last.text += ` ${line.trim()}`;
      continue;
    }
    const [, date, time, sign, hh, mm, body] = m;
    // Without an offset Exim wrote the host's local time, as this process reads it.
    const ts =
      sign === undefined
        ? new Date(`${date}T${time}`).getTime()
        : Date.parse(`${date}T${time}${sign}${hh}:${mm}`);
    // A message's id goes, as the main log's parser drops it from the copy Exim writes there.
    const text = body ?? '';
    const id = eximIdLength(text, 0);
    if (Number.isFinite(ts)) out.push({ ts, severity: 'panic', text: id > 0 ? text.slice(id + 1) : text });
  }
  return out;
}

export interface PaniclogReader {
  read(): Promise<PaniclogState>;
}

export function createPaniclogReader(options: { path: string; now: () => number }): PaniclogReader {
  const { path, now } = options;
  return {
    async read() {
      const readAt = now();
      try {
        const file = await open(path, 'r');
        try {
          const { size } = await file.stat();
          const length = Math.min(size, TAIL_BYTES);
          const buf = Buffer.alloc(length);
          await file.read(buf, 0, length, size - length);
          let text = buf.toString('utf8');
          // A tail cut mid-line starts at the next whole line.
          if (length < size) text = text.slice(text.indexOf('\n') + 1);
          return { status: 'ok', path, readAt, message: null, lines: parsePaniclog(text) };
        } finally {
          await file.close();
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const message = err instanceof Error ? err.message : String(err);
        // No paniclog is the usual case: Exim creates it with its first panic (and a Postfix host has none).
        if (code === 'ENOENT') return { status: 'absent', path, readAt, message, lines: [] };
        if (code === 'EACCES' || code === 'EPERM')
          return { status: 'not-permitted', path, readAt, message, lines: [] };
        return { status: 'failed', path, readAt, message, lines: [] };
      }
    },
  };
}
