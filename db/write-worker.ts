/**
 * Entry of the writer thread: its own connection to the database file, one transaction per packed batch,
 * answering each with the first message id it gave (or the error). After a failure it writes nothing more:
 * a later batch's checkpoint must never be saved past a batch that was lost.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './open.js';
import { createBatchWriter } from './write.js';
import type { WriterReply, WriterRequest } from './write-thread.js';

const port = parentPort;
if (!port) throw new Error('db/write-worker runs as a worker thread');
const { file } = workerData as { file: string };

const reply = (m: WriterReply) => port.postMessage(m);
let failure: string | null = null;
try {
  // The main thread opened (and migrated) the database before starting this thread.
  const db = openDatabase({ file, migrate: false });
  // Half the usual page cache: a bulk import defers the random-access indexes, so the pages a batch
  // touches are mostly the ends of tables; the 8 MiB saved keeps a 5M-line import under 256 MiB.
  const writer = createBatchWriter(db, { cacheKiB: 8 * 1024 });
  port.on('message', (m: WriterRequest) => {
    if (m.type === 'close') {
      db.close();
      port.close();
      return;
    }
    if (failure !== null) {
      reply({ type: 'failed', seq: m.seq, message: `not written after an earlier failure: ${failure}` });
      return;
    }
    try {
      reply({ type: 'written', seq: m.seq, firstId: writer.writePacked(m.batch) });
    } catch (err) {
      failure = (err as Error).message;
      reply({ type: 'failed', seq: m.seq, message: failure });
    }
  });
} catch (err) {
  failure = (err as Error).message;
  port.on('message', (m: WriterRequest) => {
    if (m.type === 'write') reply({ type: 'failed', seq: m.seq, message: `cannot open ${file}: ${failure}` });
    else port.close();
  });
}
