import type { McpServerPatch, McpServerRecord } from '@memgate/core';
import {
  applyMcpServerPatch,
  MCP_SERVER_COLUMNS,
  type McpServerRow,
  toMcpServerRecord,
  toMcpServerRow,
} from '@memgate/core/store-kit';
import type { Pool } from 'pg';
import { translateConstraints } from './postgres-errors.ts';
import { inTransaction } from './transaction.ts';

/**
 * Migration 13: users' MCP servers. Header values are stored only as ciphertext (`headers_sealed`,
 * sealed by the core); their names alone in clear, to show them.
 */
export const MCP_SERVERS_MIGRATION = `
  CREATE TABLE mcp_servers (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    transport TEXT NOT NULL CHECK (transport IN ('streamable_http', 'sse')),
    header_names TEXT NOT NULL,
    headers_sealed TEXT,
    allowed_tools TEXT,
    require_approval TEXT NOT NULL,
    timeout_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, name)
  );
  CREATE INDEX mcp_servers_user ON mcp_servers(user_id, created_at);
`;

const COLUMNS = MCP_SERVER_COLUMNS.join(', ');
const UPDATABLE = MCP_SERVER_COLUMNS.filter((column) => column !== 'id' && column !== 'user_id');

const SQL = {
  insert: `INSERT INTO mcp_servers (${COLUMNS}) VALUES (${MCP_SERVER_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})`,
  list: {
    name: 'memgate_mcp_servers_list',
    text: `SELECT ${COLUMNS} FROM mcp_servers WHERE user_id = $1 ORDER BY created_at, id`,
  },
  get: { name: 'memgate_mcp_servers_get', text: `SELECT ${COLUMNS} FROM mcp_servers WHERE id = $1 AND user_id = $2` },
  lock: `SELECT ${COLUMNS} FROM mcp_servers WHERE id = $1 AND user_id = $2 FOR UPDATE`,
  update: `UPDATE mcp_servers SET ${UPDATABLE.map((column, index) => `${column} = $${index + 3}`).join(', ')} WHERE id = $1 AND user_id = $2`,
  delete: 'DELETE FROM mcp_servers WHERE id = $1 AND user_id = $2',
};

function values(row: McpServerRow): unknown[] {
  return MCP_SERVER_COLUMNS.map((column) => row[column]);
}

/** Users' MCP servers in PostgreSQL. */
export class PostgresMcpServers {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async create(record: McpServerRecord): Promise<McpServerRecord> {
    const messages = {
      conflict: `You already have an MCP server named "${record.name}".`,
      missing: `User ${record.userId} does not exist.`,
    };
    await translateConstraints(messages, () => this.#pool.query(SQL.insert, values(toMcpServerRow(record))));
    return record;
  }

  async list(userId: string): Promise<McpServerRecord[]> {
    return (await this.#pool.query<McpServerRow>({ ...SQL.list, values: [userId] })).rows.map(toMcpServerRecord);
  }

  async get(userId: string, serverId: string): Promise<McpServerRecord | null> {
    const { rows } = await this.#pool.query<McpServerRow>({ ...SQL.get, values: [serverId, userId] });
    return rows[0] ? toMcpServerRecord(rows[0]) : null;
  }

  async update(userId: string, serverId: string, patch: McpServerPatch): Promise<McpServerRecord | null> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<McpServerRow>(SQL.lock, [serverId, userId]);
      if (!rows[0]) return null;
      const updated = applyMcpServerPatch(toMcpServerRecord(rows[0]), patch);
      const row = toMcpServerRow(updated);
      const messages = { conflict: `You already have an MCP server named "${updated.name}".` };
      await translateConstraints(messages, () =>
        client.query(SQL.update, [serverId, userId, ...UPDATABLE.map((column) => row[column])]),
      );
      return updated;
    });
  }

  async delete(userId: string, serverId: string): Promise<boolean> {
    return ((await this.#pool.query(SQL.delete, [serverId, userId])).rowCount ?? 0) > 0;
  }
}
