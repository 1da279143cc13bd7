import type { AgentLock, ReleaseLock } from './agent-lock.ts';

interface Waiter {
  grant: () => void;
}

/** A FIFO lock per agent within one process. */
export class InProcessAgentLock implements AgentLock {
  /** For each agent that is held: the queue of waiters behind the holder. */
  private readonly queues = new Map<string, Waiter[]>();

  async acquire(agentId: string, signal?: AbortSignal): Promise<ReleaseLock> {
    signal?.throwIfAborted();
    const queue = this.queues.get(agentId);
    if (!queue) {
      this.queues.set(agentId, []);
      return this.releaser(agentId);
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
    return this.releaser(agentId);
  }

  private releaser(agentId: string): ReleaseLock {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const queue = this.queues.get(agentId);
      const next = queue?.shift();
      if (next) next.grant();
      else this.queues.delete(agentId);
    };
  }
}
