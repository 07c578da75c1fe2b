/** After a restart: which files to read, from where, to get from the last checkpoint back to the live log. */

import type { FileHandle } from 'node:fs/promises';
import type { CheckpointReader } from '../../db/store/writer.js';
import { fingerprintLength, fingerprintOf, readHead } from './fingerprint.js';
import { rotatedSiblings } from './files.js';
import { identifyFile, type Identity } from './identify.js';

export interface CatchUpRead {
  id: Identity;
  /** Byte offset (decompressed for .gz) to start at. */
  start: number;
  /** The file now at the followed path (followed on from here) rather than a finished rotated one. */
  live: boolean;
}

export interface CatchUpPlan {
  /** The newest file that has a checkpoint, or null (first start: reads holds the live file, if any). */
  resumeIn: Identity | null;
  reads: CatchUpRead[];
}

/**
 * Looks at the live path and its rotated siblings (oldest first, the same file only once), finds the newest one
 * with a checkpoint, and plans: that one from its offset, every newer one whole, the live one last.
 */
export async function planCatchUp(path: string, store: CheckpointReader): Promise<CatchUpPlan> {
  const live = await identifyFile(path, store);
  const candidates: Identity[] = [];
  const seen = new Set<string>();
  for (const p of rotatedSiblings(path)) {
    const id = await identifyFile(p, store);
    if (!id || seen.has(id.fingerprint) || id.fingerprint === live?.fingerprint) continue;
    seen.add(id.fingerprint);
    candidates.push(id);
  }
  if (live) candidates.push(live);
  let k = -1;
  for (let i = candidates.length - 1; i >= 0; i--) {
    if (candidates[i]!.known) {
      k = i;
      break;
    }
  }
  if (k < 0) return { resumeIn: null, reads: live ? [{ id: live, start: 0, live: true }] : [] };
  const reads: CatchUpRead[] = [];
  for (let i = k; i < candidates.length; i++) {
    const id = candidates[i]!;
    const row = i === k ? id.known : undefined;
    if (row?.complete) continue;
    const start = row ? row.offset : 0;
    if (id === live) reads.push({ id, start: start > id.size ? 0 : start, live: true });
    else reads.push({ id, start, live: false });
  }
  return { resumeIn: candidates[k]!, reads };
}

/** Byte offset just after the last newline of a file (where --from-end starts). */
export async function endOfLastLine(fh: FileHandle, size: number): Promise<number> {
  const len = Math.min(size, 64 * 1024);
  if (len === 0) return 0;
  const buf = Buffer.alloc(len);
  await fh.read(buf, 0, len, size - len);
  const nl = buf.lastIndexOf(0x0a);
  return nl < 0 ? size : size - len + nl + 1;
}

/** The copy a copytruncate made of the file we were reading: a plain sibling with the same first bytes. */
export async function findCopy(path: string, fingerprint: string): Promise<string | null> {
  const n = fingerprintLength(fingerprint);
  for (const p of rotatedSiblings(path).reverse()) {
    if (p.endsWith('.gz')) continue;
    try {
      const head = await readHead(p, n);
      if (head.length === n && fingerprintOf(head) === fingerprint) return p;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
