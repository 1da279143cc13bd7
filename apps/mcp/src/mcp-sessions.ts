import type { McpSession } from './mcp-session.ts';

/**
 * The open MCP sessions of this instance: at most `maxPerUser` per user (a new one closes that
 * user's least recently used, so a client that never said goodbye cannot lock its user out), and
 * none unused longer than `idleMs`.
 */
export class McpSessions {
  readonly #sessions = new Map<string, McpSession>();
  readonly #maxPerUser: number;
  readonly #idleMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { maxPerUser: number; idleMs: number }) {
    this.#maxPerUser = options.maxPerUser;
    this.#idleMs = options.idleMs;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(60_000, Math.max(250, options.idleMs / 4)));
    this.#sweeper.unref();
  }

  /** The user's session of that id (another user's is none). */
  get(id: string, userId: string): McpSession | undefined {
    const session = this.#sessions.get(id);
    if (!session || session.closed || session.userId !== userId) return undefined;
    return session;
  }

  add(session: McpSession): void {
    const own = [...this.#sessions.values()].filter((other) => other.userId === session.userId);
    own.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const stale of own.slice(0, Math.max(0, own.length - this.#maxPerUser + 1))) this.#drop(stale);
    this.#sessions.set(session.id, session);
  }

  /** Forgets a session that closed itself. */
  forget(session: McpSession): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Ends the sessions opened or used with these keys (they were revoked). */
  closeKeys(keyIds: readonly string[]): void {
    for (const session of this.#sessions.values())
      if (session.keyId && keyIds.includes(session.keyId)) this.#drop(session);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(all.map((session) => session.close()));
  }

  #sweep(): void {
    const now = Date.now();
    for (const session of this.#sessions.values()) if (session.idle(now, this.#idleMs)) this.#drop(session);
  }

  #drop(session: McpSession): void {
    this.#sessions.delete(session.id);
    void session.close();
  }
}
