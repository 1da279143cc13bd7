import { randomUUID } from 'node:crypto';
import type { Memgate, Principal, RequestContext } from '@memgate/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerBlockResources } from './block-resources.ts';
import { registerMemgateTools } from './memgate-tools.ts';

/**
 * One MCP session of one user: an SDK server with memgate's tools and resources, bound to a
 * Streamable HTTP transport whose `Mcp-Session-Id` names it. Requests of the session update the
 * principal (a user may use several keys); the session ends on DELETE, idleness or revocation.
 */
export class McpSession {
  readonly id = randomUUID();
  readonly userId: string;
  readonly transport: StreamableHTTPServerTransport;
  lastUsed = Date.now();
  #principal: Principal;
  #requestId: string = randomUUID();
  /** Open GET streams (where notifications go): a session listening is not idle. */
  openStreams = 0;
  readonly #server: McpServer;
  readonly #stopEvents: () => void;
  #closed = false;

  constructor(
    memgate: Memgate,
    principal: Principal,
    options: { version: string; onClose: (session: McpSession) => void },
  ) {
    this.userId = principal.userId;
    this.#principal = principal;
    this.transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => this.id });
    this.#server = new McpServer(
      { name: 'memgate', version: options.version },
      {
        instructions:
          'memgate serves stateful agents with long-term memory. list_agents names them; chat talks to one; read_memory, update_memory_block, archival_* and conversation_search reach its memory. Core memory blocks are resources you can subscribe to.',
      },
    );
    const caller = {
      principal: () => this.#principal,
      context: (): RequestContext => ({ requestId: this.#requestId, protocol: 'mcp' }),
    };
    registerMemgateTools(this.#server, memgate, caller);
    this.#stopEvents = registerBlockResources(this.#server, memgate, caller);
    // Called when the transport closes (a DELETE from the client, or close()): the registry forgets it.
    this.#server.server.onclose = () => {
      void this.close();
      options.onClose(this);
    };
  }

  /** The key of this request acts for the session's next calls; the request id names its turns. */
  touch(principal: Principal, requestId: string): void {
    this.#principal = principal;
    this.#requestId = requestId;
    this.lastUsed = Date.now();
  }

  get keyId(): string | undefined {
    return this.#principal.keyId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async connect(): Promise<void> {
    await this.#server.connect(this.transport);
  }

  /** Unused for longer than `idleMs`, and not listening on a stream. */
  idle(now: number, idleMs: number): boolean {
    return this.openStreams === 0 && now - this.lastUsed > idleMs;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopEvents();
    await this.#server.close().catch(() => undefined);
  }
}
