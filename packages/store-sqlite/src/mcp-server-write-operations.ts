import type { AgentMcpTool, McpServerPatch, McpServerRecord } from '@memgate/core';
import { applyMcpServerPatch, storableMcpTools, toMcpServerRecord, toMcpServerRow } from '@memgate/core/store-kit';
import { transaction } from './driver.ts';
import { translateConstraints } from './sqlite-errors.ts';
import type { WriteContext } from './write-operations.ts';

/** The writes of users' MCP servers, run on the writer thread like every write. */
export const MCP_SERVER_WRITE_OPERATIONS = {
  createMcpServer({ sql }: WriteContext, record: McpServerRecord): McpServerRecord {
    const messages = {
      conflict: `You already have an MCP server named "${record.name}".`,
      missing: `User ${record.userId} does not exist.`,
    };
    translateConstraints(messages, () => sql.insertMcpServer.run(toMcpServerRow(record)));
    return record;
  },
  updateMcpServer(
    { db, sql }: WriteContext,
    userId: string,
    serverId: string,
    patch: McpServerPatch,
  ): McpServerRecord | null {
    return transaction(db, 'IMMEDIATE', () => {
      const row = sql.getMcpServer.get(serverId, userId);
      if (!row) return null;
      const updated = applyMcpServerPatch(toMcpServerRecord(row), patch);
      const messages = { conflict: `You already have an MCP server named "${updated.name}".` };
      translateConstraints(messages, () => sql.updateMcpServer.run(toMcpServerRow(updated)));
      return updated;
    });
  },
  setAgentMcpTools({ sql }: WriteContext, userId: string, agentId: string, tools: AgentMcpTool[]): boolean {
    return sql.setAgentMcpTools.run(storableMcpTools(tools), agentId, userId).changes > 0;
  },
  deleteMcpServer({ sql }: WriteContext, userId: string, serverId: string): boolean {
    return sql.deleteMcpServer.run(serverId, userId).changes > 0;
  },
};
