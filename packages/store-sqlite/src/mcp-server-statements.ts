import { MCP_SERVER_COLUMNS, type McpServerRow } from '@memgate/core/store-kit';
import { type Database, prepare } from './driver.ts';

const COLUMNS = MCP_SERVER_COLUMNS.join(', ');

/** The statements of users' MCP servers (migration 13). */
export function prepareMcpServerStatements(db: Database) {
  return {
    insertMcpServer: prepare<McpServerRow>(
      db,
      `INSERT INTO mcp_servers (${COLUMNS}) VALUES (${MCP_SERVER_COLUMNS.map((column) => `@${column}`).join(', ')})`,
    ),
    /** [user] */
    listMcpServers: prepare<[string], McpServerRow>(
      db,
      `SELECT ${COLUMNS} FROM mcp_servers WHERE user_id = ? ORDER BY created_at, id`,
    ),
    /** [id, user] */
    getMcpServer: prepare<[string, string], McpServerRow>(
      db,
      `SELECT ${COLUMNS} FROM mcp_servers WHERE id = ? AND user_id = ?`,
    ),
    updateMcpServer: prepare<McpServerRow>(
      db,
      `UPDATE mcp_servers SET ${MCP_SERVER_COLUMNS.filter((column) => column !== 'id' && column !== 'user_id')
        .map((column) => `${column} = @${column}`)
        .join(', ')} WHERE id = @id AND user_id = @user_id`,
    ),
    /** [id, user] */
    deleteMcpServer: prepare<[string, string]>(db, 'DELETE FROM mcp_servers WHERE id = ? AND user_id = ?'),
  };
}
