import { parentPort, workerData } from 'node:worker_threads';
import { GroupCommit } from './group-commit.ts';
import { openDatabase } from './open-database.ts';
import type { WriteRequest } from './write-operations.ts';

/**
 * The store's writer thread: it owns the only write connection, so its fsyncs never block the
 * event loop. Writes that arrive while a group commits wait and form the next group.
 */
const port = parentPort;
if (!port) throw new Error('writer-thread.ts runs as a worker thread.');
const db = openDatabase((workerData as { filename: string }).filename);
const group = new GroupCommit(db);
let queue: WriteRequest[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  // Already drained by 'close'.
  if (queue.length === 0) return;
  const requests = queue;
  queue = [];
  port!.postMessage(group.run(requests));
}

// Writes arrive in batches: the ones the main thread submitted in one turn of its event loop.
port.on('message', (message: WriteRequest[] | 'close') => {
  if (message === 'close') {
    // Messages are handled in order: every write sent before 'close' is already queued.
    if (queue.length > 0) drain();
    db.close();
    port.close();
    return;
  }
  for (const request of message) queue.push(request);
  // After the messages already delivered in this turn of the loop, so they commit together.
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
});
