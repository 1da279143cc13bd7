import { randomUUID } from 'node:crypto';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { Store } from '../store/store.ts';
import type { McpSecrets } from './mcp-secrets.ts';
import {
  MAX_MCP_SERVERS_PER_USER,
  mcpServerCreateSchema,
  mcpServerUpdateSchema,
  mcpToolsQuerySchema,
} from './mcp-server-schemas.ts';
import type { McpFileServer } from './mcp-servers-file.ts';
import { type McpToolEntry, mcpToolEntries } from './mcp-tool-listing.ts';
import type {
  McpClientPool,
  McpConnectionConfig,
  McpServer,
  McpServerPatch,
  McpServerRecord,
  McpToolResult,
} from './mcp-types.ts';
import { mcpUrlProblem } from './url-guard.ts';

/** Default lifetime of a server's cached tool list. */
export const DEFAULT_MCP_TOOLS_CACHE_MS = 5 * 60_000;
const FILE_ID_PREFIX = 'mcp-file-';

export interface McpServerServiceOptions {
  store: Store;
  /** The MCP client; without one, listing tools is refused (503 `mcp_unavailable`). */
  pool?: McpClientPool;
  secrets: McpSecrets;
  /** MEMGATE_MCP_ALLOW_PRIVATE: users' servers may be on loopback, link-local and private addresses. */
  allowPrivate?: boolean;
  /** MEMGATE_MCP_SERVERS_FILE: the operator's servers, read-only, shown to every user. */
  fileServers?: McpFileServer[];
  /** How long a tool list is served from cache; default 5 minutes. */
  toolsCacheMs?: number;
}

/** A server's tools as `GET /v1/mcp-servers/{id}/tools` answers. */
export interface McpToolListing {
  server: McpServer;
  tools: McpToolEntry[];
  /** When the server was asked (ISO 8601). */
  fetchedAt: string;
  cached: boolean;
}

interface CachedListing {
  revision: string;
  at: number;
  listing: Omit<McpToolListing, 'server' | 'cached'>;
}

/**
 * MCP servers as tool sources: a user's own (made through the API, headers encrypted at rest,
 * URLs checked against SSRF) and the operator's file servers, with their live tool lists.
 */
export class McpServerService {
  readonly #store: Store;
  readonly #pool: McpClientPool | undefined;
  readonly #secrets: McpSecrets;
  readonly #allowPrivate: boolean;
  readonly #fileServers: McpFileServer[];
  readonly #cacheMs: number;
  readonly #cache = new Map<string, CachedListing>();

  constructor(options: McpServerServiceOptions) {
    this.#store = options.store;
    this.#pool = options.pool;
    this.#secrets = options.secrets;
    this.#allowPrivate = options.allowPrivate ?? false;
    this.#fileServers = options.fileServers ?? [];
    this.#cacheMs = options.toolsCacheMs ?? DEFAULT_MCP_TOOLS_CACHE_MS;
  }

  async create(principal: Principal, input: unknown): Promise<McpServer> {
    requireWriteScope(principal);
    const body = parseOrThrow(mcpServerCreateSchema, input);
    this.#assertNotFileName(body.name);
    await this.#assertUrl(body.url);
    const existing = await this.#store.listMcpServers(principal.userId);
    if (existing.length >= MAX_MCP_SERVERS_PER_USER) {
      throw new MemgateError('CONFLICT', `A user may have at most ${MAX_MCP_SERVERS_PER_USER} MCP servers.`, {
        detailCode: 'too_many_mcp_servers',
      });
    }
    const id = `mcp-${randomUUID()}`;
    const headers = body.headers ?? {};
    const now = new Date().toISOString();
    const record = await this.#store.createMcpServer({
      id,
      userId: principal.userId,
      name: body.name,
      url: body.url,
      transport: body.transport,
      headerNames: Object.keys(headers),
      headersEncrypted: Object.keys(headers).length > 0 ? this.#secrets.encrypt(headers, id) : null,
      allowedTools: body.allowed_tools ?? null,
      requireApproval: body.require_approval,
      timeoutMs: body.timeout_ms,
      createdAt: now,
      updatedAt: now,
    });
    return toMcpServer(record);
  }

  /** The operator's servers (by name), then the user's, oldest first. */
  async list(principal: Principal): Promise<McpServer[]> {
    const own = await this.#store.listMcpServers(principal.userId);
    return [...this.#fileServers.map(fileServerOf), ...own.map(toMcpServer)];
  }

  async get(principal: Principal, serverId: string): Promise<McpServer> {
    const file = this.#fileServer(serverId);
    if (file) return fileServerOf(file);
    return toMcpServer(await this.#record(principal, serverId));
  }

  async update(principal: Principal, serverId: string, input: unknown): Promise<McpServer> {
    requireWriteScope(principal);
    this.#assertNotFileServer(serverId);
    const body = parseOrThrow(mcpServerUpdateSchema, input);
    await this.#record(principal, serverId);
    if (body.name !== undefined) this.#assertNotFileName(body.name);
    if (body.url !== undefined) await this.#assertUrl(body.url);
    const patch: McpServerPatch = { updatedAt: new Date().toISOString() };
    if (body.name !== undefined) patch.name = body.name;
    if (body.url !== undefined) patch.url = body.url;
    if (body.transport !== undefined) patch.transport = body.transport;
    if (body.headers !== undefined) {
      const headers = body.headers ?? {};
      patch.headerNames = Object.keys(headers);
      patch.headersEncrypted = patch.headerNames.length > 0 ? this.#secrets.encrypt(headers, serverId) : null;
    }
    if (body.allowed_tools !== undefined) patch.allowedTools = body.allowed_tools;
    if (body.require_approval !== undefined) patch.requireApproval = body.require_approval;
    if (body.timeout_ms !== undefined) patch.timeoutMs = body.timeout_ms;
    const updated = await this.#store.updateMcpServer(principal.userId, serverId, patch);
    if (!updated) throw mcpServerNotFound(serverId);
    this.#forget(serverId);
    return toMcpServer(updated);
  }

  async delete(principal: Principal, serverId: string): Promise<void> {
    requireWriteScope(principal);
    this.#assertNotFileServer(serverId);
    if (!(await this.#store.deleteMcpServer(principal.userId, serverId))) throw mcpServerNotFound(serverId);
    this.#forget(serverId);
  }

  /** The server's tools, live, served from a cache for 5 minutes unless `refresh=true`. */
  async tools(
    principal: Principal,
    serverId: string,
    query: unknown = {},
    signal?: AbortSignal,
  ): Promise<McpToolListing> {
    const { refresh } = parseOrThrow(mcpToolsQuerySchema, query, 'query');
    const file = this.#fileServer(serverId);
    const record = file ? null : await this.#record(principal, serverId);
    const server = file ? fileServerOf(file) : toMcpServer(record as McpServerRecord);
    const revision = record ? record.updatedAt : 'file';
    const cached = this.#cache.get(serverId);
    if (refresh !== 'true' && cached && cached.revision === revision && Date.now() - cached.at < this.#cacheMs) {
      return { server, ...cached.listing, cached: true };
    }
    const pool = this.#requirePool();
    const connection = file ? fileConnection(file) : await this.#connectionOf(record as McpServerRecord);
    const { tools } = await pool.listTools(connection, signal ? { signal } : {});
    const listing = { tools: mcpToolEntries(server, tools), fetchedAt: new Date().toISOString() };
    this.#remember(serverId, { revision, at: Date.now(), listing });
    return { server, ...listing, cached: false };
  }

  /**
   * Runs one of a server's tools with the server's timeout: an unreachable or silent server throws
   * (`mcp_server_unreachable`, `mcp_server_timeout`), a tool error is a result with `isError`.
   */
  async callTool(
    principal: Principal,
    serverId: string,
    tool: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<McpToolResult> {
    const pool = this.#requirePool();
    const connection = await this.connection(principal, serverId);
    return pool.callTool(connection, tool, args, { ...(signal && { signal }), timeoutMs: connection.timeoutMs });
  }

  /** One of the caller's servers (or a file server) by id or by name; null when there is none. */
  async find(principal: Principal, reference: string): Promise<McpServer | null> {
    const servers = await this.list(principal);
    return (
      servers.find((server) => server.id === reference) ?? servers.find((server) => server.name === reference) ?? null
    );
  }

  /**
   * What the MCP client needs to reach one of the caller's servers (or a file server), headers
   * decrypted and, for a user's server, its address checked again (DNS may have changed).
   */
  async connection(principal: Principal, serverId: string): Promise<McpConnectionConfig> {
    const file = this.#fileServer(serverId);
    if (file) return fileConnection(file);
    return this.#connectionOf(await this.#record(principal, serverId));
  }

  async #connectionOf(record: McpServerRecord): Promise<McpConnectionConfig> {
    const problem = await mcpUrlProblem(record.url, this.#allowPrivate);
    if (problem) {
      throw new MemgateError('UPSTREAM_ERROR', `MCP server "${record.name}" cannot be reached: ${problem}`, {
        detailCode: 'mcp_server_unreachable',
      });
    }
    return {
      id: record.id,
      name: record.name,
      revision: record.updatedAt,
      transport: record.transport,
      url: record.url,
      headers: record.headersEncrypted ? this.#secrets.decrypt(record.headersEncrypted, record.id) : {},
      timeoutMs: record.timeoutMs,
    };
  }

  async #record(principal: Principal, serverId: string): Promise<McpServerRecord> {
    const record = await this.#store.getMcpServer(principal.userId, serverId);
    if (!record) throw mcpServerNotFound(serverId);
    return record;
  }

  #fileServer(serverId: string): McpFileServer | undefined {
    if (!serverId.startsWith(FILE_ID_PREFIX)) return undefined;
    return this.#fileServers.find((server) => FILE_ID_PREFIX + server.name === serverId);
  }

  #assertNotFileServer(serverId: string): void {
    if (this.#fileServer(serverId)) {
      throw new MemgateError(
        'FORBIDDEN',
        `MCP server ${serverId} is configured by the operator (MEMGATE_MCP_SERVERS_FILE) and cannot be changed through the API.`,
        {
          detailCode: 'mcp_server_read_only',
        },
      );
    }
  }

  #assertNotFileName(name: string): void {
    if (this.#fileServers.some((server) => server.name === name)) {
      throw new MemgateError(
        'CONFLICT',
        `An MCP server named "${name}" is configured by the operator; choose another name.`,
        {
          detailCode: 'mcp_server_name_taken',
          param: 'name',
        },
      );
    }
  }

  async #assertUrl(url: string): Promise<void> {
    const problem = await mcpUrlProblem(url, this.#allowPrivate);
    if (problem) throw fieldError(['body', 'url'], problem, 'invalid_mcp_server_url');
  }

  #requirePool(): McpClientPool {
    if (this.#pool) return this.#pool;
    throw new MemgateError('SERVICE_UNAVAILABLE', 'This memgate has no MCP client configured.', {
      detailCode: 'mcp_unavailable',
    });
  }

  #remember(serverId: string, entry: CachedListing): void {
    this.#cache.delete(serverId);
    this.#cache.set(serverId, entry);
    // Bounded: the oldest listing goes first (a Map iterates in insertion order).
    if (this.#cache.size > 1000) this.#cache.delete(this.#cache.keys().next().value as string);
  }

  #forget(serverId: string): void {
    this.#cache.delete(serverId);
    void this.#pool?.release(serverId).catch(() => undefined);
  }
}

export function mcpServerNotFound(serverId: string): MemgateError {
  return new MemgateError('NOT_FOUND', `MCP server ${serverId} not found.`, { detailCode: 'mcp_server_not_found' });
}

function toMcpServer(record: McpServerRecord): McpServer {
  return {
    id: record.id,
    name: record.name,
    transport: record.transport,
    url: record.url,
    headerNames: record.headerNames,
    allowedTools: record.allowedTools,
    requireApproval: record.requireApproval,
    timeoutMs: record.timeoutMs,
    source: 'api',
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function fileServerOf(server: McpFileServer): McpServer {
  return {
    id: FILE_ID_PREFIX + server.name,
    name: server.name,
    transport: server.transport,
    url: server.url ?? null,
    headerNames: Object.keys(server.headers ?? {}),
    allowedTools: server.allowedTools,
    requireApproval: server.requireApproval,
    timeoutMs: server.timeoutMs,
    source: 'file',
    createdAt: null,
    updatedAt: null,
  };
}

function fileConnection(server: McpFileServer): McpConnectionConfig {
  return {
    id: FILE_ID_PREFIX + server.name,
    name: server.name,
    // File servers change only with a restart.
    revision: 'file',
    trusted: true,
    transport: server.transport,
    ...(server.url !== undefined && { url: server.url, headers: server.headers ?? {} }),
    ...(server.command !== undefined && { command: server.command, args: server.args ?? [], env: server.env ?? {} }),
    ...(server.cwd !== undefined && { cwd: server.cwd }),
    timeoutMs: server.timeoutMs,
  };
}
