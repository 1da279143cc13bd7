/**
 * Releases a held agent lock. Idempotent. A distributed lock that can be lost while held (its
 * database connection drops, and the database hands the lock to another instance) also carries
 * `lost`, which aborts at that moment so the turn stops instead of running unserialised.
 */
export type ReleaseLock = (() => Promise<void>) & { readonly lost?: AbortSignal };

/**
 * Serialises turns per agent: holders run one at a time in arrival order. A distributed
 * implementation (PostgreSQL advisory lock, Redis) plugs in behind the same interface.
 */
export interface AgentLock {
  /** Waits for the agent's lock; rejects with the signal's reason if aborted while waiting. */
  acquire(agentId: string, signal?: AbortSignal): Promise<ReleaseLock>;
}

/** Runs `work` while holding the agent's lock. */
export async function withAgentLock<T>(
  lock: AgentLock,
  agentId: string,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const release = await lock.acquire(agentId, signal);
  try {
    return await work();
  } finally {
    await release();
  }
}
