/**
 * Work on a thread of its own beside the thread that serves (a report's reads, an index build) yields the CPU to
 * it: on a busy machine a probe of /healthz is then answered before the build goes on, not after.
 */

import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower (in nice steps) such a thread runs. */
const BACKGROUND_NICE = 10;

/** Lowers the calling thread's priority (Linux: nice is per thread); elsewhere, or when refused, nothing changes. */
export function runInBackground(): void {
  try {
    // "/proc/thread-self" is "<pid>/task/<tid>": the thread's own id, which setpriority takes for the thread alone.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return;
    setPriority(tid, Math.min(19, Math.max(getPriority(tid), getPriority() + BACKGROUND_NICE)));
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}
