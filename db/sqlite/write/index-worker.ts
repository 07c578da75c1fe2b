/** Entry of the index thread (index-thread.ts): builds the indexes a bulk import set aside, on its own connection. */

import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../open.js';
import { createIndexDeferral } from './deferred-indexes.js';

const port = parentPort;
if (!port) throw new Error('index-worker runs as a worker thread');
// Started in the background (backgroundWorker) when the process serves meanwhile.
const { file } = workerData as { file: string };

const db = openDatabase({ file, migrate: false });
try {
  port.postMessage({ built: createIndexDeferral(db).restore() });
} finally {
  db.close();
}
