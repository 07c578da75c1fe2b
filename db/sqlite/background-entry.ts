/**
 * Entry of a thread that works beside the serving one (backgroundWorker): it lowers its own priority first and
 * only then loads its work, so that even loading and compiling it yields the CPU to the thread that serves.
 */

import { workerData } from 'node:worker_threads';
import { runInBackground } from './thread-priority.js';

runInBackground();
await import((workerData as { backgroundEntry: string }).backgroundEntry);
