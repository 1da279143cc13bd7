import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isPlainFile } from './data-files.ts';
import type { Database } from './driver.ts';
import { deserialiseError, GroupCommit } from './group-commit.ts';
import type { WriteAnswer, WriteArguments, WriteOperation, WriteRequest, WriteResult } from './write-operations.ts';

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Where writes run: a worker thread with its own connection, or (for `:memory:`) this thread. */
type Transport =
  | { kind: 'thread'; worker: Worker; outbox: WriteRequest[]; scheduled: boolean }
  | { kind: 'inline'; group: GroupCommit; queue: WriteRequest[]; scheduled: boolean };

/**
 * The store's single writer. On a database file it is a worker thread that owns the write
 * connection and commits queued writes in groups (one transaction and one fsync each), so the
 * event loop never waits on the disk. An in-memory database cannot be shared between connections:
 * there the same group commit runs on this thread, on the store's own connection.
 */
export class SqliteWriter {
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #transport: Transport | undefined;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly filename: string,
    private readonly db: Database,
  ) {}

  /** Why the writer stopped, if it did: every write fails from then on, so the store is not ready. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Queues one write; resolves once it is committed (durable), or rejects with its own error. */
  submit<O extends WriteOperation>(operation: O, ...parameters: WriteArguments<O>): Promise<WriteResult<O>> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closing) return Promise.reject(new Error('The store is closed.'));
    const transport = this.#start();
    const id = this.#nextId++;
    const request: WriteRequest = { id, operation, arguments: parameters };
    const answer = new Promise<WriteResult<O>>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    if (transport.kind === 'thread') {
      // Referenced only while writes are in flight: an idle writer must not keep the process alive.
      if (this.#waiting.size === 1) transport.worker.ref();
      transport.outbox.push(request);
      // Posted once the event loop has run the callbacks ready now: the writes they submit go in
      // the same message, so one postMessage and one wake-up of the writer instead of one each.
      if (!transport.scheduled) {
        transport.scheduled = true;
        setImmediate(() => this.#post(transport));
      }
    } else {
      transport.queue.push(request);
      if (!transport.scheduled) {
        transport.scheduled = true;
        queueMicrotask(() => this.#drainInline(transport));
      }
    }
    return answer;
  }

  /** Waits for every queued write to commit, then stops the writer. */
  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  async #stop(): Promise<void> {
    const transport = this.#transport;
    if (transport?.kind !== 'thread') return;
    const exited = new Promise<void>((resolve) => transport.worker.once('exit', () => resolve()));
    transport.worker.ref();
    // The writes still in the outbox go first: the writer commits everything sent before 'close'.
    this.#post(transport);
    transport.worker.postMessage('close');
    await exited;
  }

  #start(): Transport {
    if (this.#transport) return this.#transport;
    // Only a database in a file of its own can be opened by a second connection (the writer's).
    if (!isPlainFile(this.filename)) {
      this.#transport = { kind: 'inline', group: new GroupCommit(this.db), queue: [], scheduled: false };
      return this.#transport;
    }
    const worker = startWorker(this.filename);
    worker.on('message', (answers: WriteAnswer[]) => this.#answer(answers));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => this.#fail(new Error('The store writer stopped.')));
    this.#transport = { kind: 'thread', worker, outbox: [], scheduled: false };
    return this.#transport;
  }

  #post(transport: Extract<Transport, { kind: 'thread' }>): void {
    transport.scheduled = false;
    if (transport.outbox.length === 0) return;
    transport.worker.postMessage(transport.outbox.splice(0));
  }

  #drainInline(transport: Extract<Transport, { kind: 'inline' }>): void {
    transport.scheduled = false;
    const requests = transport.queue.splice(0);
    this.#answer(transport.group.run(requests));
  }

  #answer(answers: WriteAnswer[]): void {
    for (const answer of answers) {
      const waiting = this.#waiting.get(answer.id);
      if (!waiting) continue;
      this.#waiting.delete(answer.id);
      if (answer.ok) waiting.resolve(answer.value);
      else waiting.reject(deserialiseError(answer.error));
    }
    const transport = this.#transport;
    if (this.#waiting.size === 0 && transport?.kind === 'thread') transport.worker.unref();
  }

  #fail(error: Error): void {
    // Writes still waiting when the writer stops have no answer: none of them is known durable.
    if (this.#waiting.size === 0 && this.#closing) return;
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}

/**
 * Starts the writer thread. From the TypeScript sources (tests, `pnpm dev`, the bench) the thread
 * needs tsx's loader (the workspace root's devDependency: sources run only inside the workspace)
 * and the workspace's source condition; compiled, it runs plain `.js` and needs neither.
 */
function startWorker(filename: string): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './writer-thread.ts' : './writer-thread.js', import.meta.url);
  const execArgv = fromSource
    ? ['--conditions=@memgate/source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : undefined;
  const worker = new Worker(url, { workerData: { filename }, execArgv });
  worker.unref();
  return worker;
}
