/** Which stored checkpoint (if any) a file on disk is: by the fingerprint of its first bytes. */

import { stat } from 'node:fs/promises';
import type { SourceRow } from '../../db/store/checkpoints.js';
import type { CheckpointReader } from '../../db/store/writer.js';
import {
  FINGERPRINT_BYTES,
  fingerprintLength,
  isGzipPath,
  readGzipHead,
  readHead,
  fingerprintOf,
} from './fingerprint.js';

export interface Identity {
  path: string;
  gzip: boolean;
  inode: number;
  /** Bytes on disk (compressed size for .gz). */
  size: number;
  mtimeMs: number;
  /** Fingerprint of the file as it is now. */
  fingerprint: string;
  /** The checkpoint of this file, when it was read before (maybe under a shorter fingerprint or another name). */
  known: SourceRow | undefined;
  /** Whether its first line's time carries a year (ISO 8601), lacks one (syslog), or cannot be told (null). */
  dated: boolean | null;
}

/** Syslog's `Nov 27 06:00:00`, ISO 8601's `2026-11-27T06:00:00` (also after an RFC 5424 `<22>1 `). */
const SYSLOG_TIME = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/;
const ISO_TIME = /^(?:<\d{1,3}>\d )?\d{4}-\d\d-\d\d[T ]\d\d:\d\d/;

/** Whether the first line of a file's head carries a year in its time (what --year is for when it does not). */
function headIsDated(head: Buffer): boolean | null {
  const first = head.toString('latin1', 0, Math.min(head.length, 64));
  return ISO_TIME.test(first) ? true : SYSLOG_TIME.test(first) ? false : null;
}

/** Stats and fingerprints a file and finds its checkpoint; null when the file does not exist (any more). */
export async function identifyFile(path: string, store: CheckpointReader): Promise<Identity | null> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return null;
    const gzip = isGzipPath(path);
    const head = gzip ? await readGzipHead(path) : await readHead(path);
    const fingerprint = fingerprintOf(head);
    let known = head.length > 0 ? await store.byFingerprint(fingerprint) : undefined;
    if (!known && head.length > 0) {
      // Read before while it was shorter: compare its first n bytes with each short fingerprint.
      for (const row of await store.shortFingerprints(FINGERPRINT_BYTES)) {
        const n = fingerprintLength(row.fingerprint);
        if (n > 0 && n <= head.length && fingerprintOf(head.subarray(0, n)) === row.fingerprint) {
          known = row;
          break;
        }
      }
    }
    return {
      path,
      gzip,
      inode: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      fingerprint,
      known,
      dated: headIsDated(head),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
