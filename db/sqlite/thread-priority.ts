/**
 * Work on a thread of its own beside the thread that serves (a report's reads, an index build) yields the CPU to
 * it: on a busy machine a probe of /healthz is then answered before the build goes on, not after.
 */

import { existsSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

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

/** The compiled entry that lowers a thread's priority before it loads its script. */
const BACKGROUND_ENTRY = fileURLToPath(new URL('./background-entry.js', import.meta.url));

/**
 * Starts `script` on a thread that runs in the background (runInBackground) from its first instruction on: its
 * script must not lower its priority again. `workerData` reaches the script as given, plus `backgroundEntry`.
 * Where the entry is not compiled (the sources under vitest), the script starts at the usual priority.
 */
export function backgroundWorker(
  script: string,
  options: Omit<WorkerOptions, 'workerData'> & { workerData: Record<string, unknown> },
): Worker {
  const { workerData, ...rest } = options;
  if (!existsSync(BACKGROUND_ENTRY)) return new Worker(script, { ...rest, workerData });
  return new Worker(BACKGROUND_ENTRY, {
    ...rest,
    workerData: { ...workerData, backgroundEntry: pathToFileURL(script).href },
  });
}
