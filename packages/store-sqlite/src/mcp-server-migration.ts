import type { Migration } from './migrations.ts';

/**
 * Migration 13: users' MCP servers. Header values are stored only as ciphertext (`headers_sealed`,
 * sealed by the core); their names alone in clear, to show them.
 */
export const MCP_SERVERS_MIGRATION: Migration = {
  version: 13,
  description: "MCP servers: a user's tool sources, headers encrypted",
  up: `
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
  `,
};
