/**
 * Entry of the writer thread: its own connection to the database file. Each batch is answered as soon as its
 * rows are written, with the first message id it gave, so the reading thread goes on; the next batches join the
 * same transaction (until BatchGroup.full), and one more answer says when they are committed. After a failure
 * it writes nothing more: a later batch's checkpoint must never be saved past a batch that was lost.
 */

import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../open.js';
import { createBatchWriter, THREAD_WRITER_CACHE_KIB, type BatchGroup } from './batch-writer.js';
import type { WriterReply, WriterRequest } from './writer-thread.js';

const port = parentPort;
if (!port) throw new Error('writer-worker runs as a worker thread');
const { file } = workerData as { file: string };

/**
 * How long a transaction that has room for more batches (BatchGroup.full) waits for the next one. Bulk imports
 * only come here: nothing waits for a commit but the end of the import and the listeners of finished batches.
 */
const GROUP_WAIT_MS = 20;

const reply = (m: WriterReply) => port.postMessage(m);
let failure: string | null = null;
try {
  // The main thread opened (and migrated) the database before starting this thread.
  const db = openDatabase({ file, migrate: false });
  const writer = createBatchWriter(db, { cacheKiB: THREAD_WRITER_CACHE_KIB });
  /** The open transaction and the sequence number of its last batch. */
  let group: BatchGroup | null = null;
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const fail = (err: unknown) => {
    // Everything of the group is rolled back, the batches already answered included.
    failure = (err as Error).message;
    group?.rollback();
    group = null;
    reply({ type: 'failed', seq: last, message: failure });
  };
  const commit = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (group === null) return;
    try {
      group.commit();
      reply({ type: 'committed', seq: last });
    } catch (err) {
      fail(err);
    }
    group = null;
  };
  const write = (m: Extract<WriterRequest, { type: 'write' }>) => {
    if (failure !== null) {
      reply({ type: 'failed', seq: m.seq, message: `not written after an earlier failure: ${failure}` });
      return;
    }
    last = m.seq;
    try {
      group ??= writer.group();
      reply({ type: 'written', seq: m.seq, firstId: group.add(m.batch) });
      if (group.full) commit();
    } catch (err) {
      fail(err);
    }
  };
  const take = (m: WriterRequest) => {
    if (m.type === 'close') {
      commit();
      db.close();
      port.close();
      return false;
    }
    write(m);
    return true;
  };
  port.on('message', (m: WriterRequest) => {
    if (timer) clearTimeout(timer);
    timer = null;
    // Batches that arrived meanwhile are taken at once; then the group waits a little for the next one.
    for (let next: WriterRequest | undefined = m; next !== undefined;) {
      if (!take(next)) return;
      next = receiveMessageOnPort(port)?.message as WriterRequest | undefined;
    }
    if (group !== null) timer = setTimeout(commit, GROUP_WAIT_MS);
  });
} catch (err) {
  failure = (err as Error).message;
  port.on('message', (m: WriterRequest) => {
    if (m.type === 'write') reply({ type: 'failed', seq: m.seq, message: `cannot open ${file}: ${failure}` });
    else port.close();
  });
}
