import type { McpApprovalPolicy, McpServerPatch, McpServerRecord } from '../mcp/mcp-types.ts';

/** The columns of `mcp_servers` (migration 13 in both stores), in this order. */
export const MCP_SERVER_COLUMNS = [
  'id',
  'user_id',
  'name',
  'url',
  'transport',
  'header_names',
  'headers_sealed',
  'allowed_tools',
  'require_approval',
  'timeout_ms',
  'created_at',
  'updated_at',
] as const;

/** A row of `mcp_servers`: lists and the approval policy as JSON text. */
export interface McpServerRow {
  id: string;
  user_id: string;
  name: string;
  url: string;
  transport: string;
  header_names: string;
  headers_sealed: string | null;
  allowed_tools: string | null;
  require_approval: string;
  timeout_ms: number;
  created_at: string;
  updated_at: string;
  [column: string]: string | number | null;
}

export function toMcpServerRow(record: McpServerRecord): McpServerRow {
  return {
    id: record.id,
    user_id: record.userId,
    name: record.name,
    url: record.url,
    transport: record.transport,
    header_names: JSON.stringify(record.headerNames),
    headers_sealed: record.headersEncrypted,
    allowed_tools: record.allowedTools === null ? null : JSON.stringify(record.allowedTools),
    require_approval: JSON.stringify(record.requireApproval),
    timeout_ms: record.timeoutMs,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

export function toMcpServerRecord(row: McpServerRow): McpServerRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    url: row.url,
    transport: row.transport as McpServerRecord['transport'],
    headerNames: JSON.parse(row.header_names) as string[],
    headersEncrypted: row.headers_sealed,
    allowedTools: row.allowed_tools === null ? null : (JSON.parse(row.allowed_tools) as string[]),
    requireApproval: JSON.parse(row.require_approval) as McpApprovalPolicy,
    timeoutMs: Number(row.timeout_ms),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The record with a patch's fields applied (absent ones kept). */
export function applyMcpServerPatch(record: McpServerRecord, patch: McpServerPatch): McpServerRecord {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return { ...record, ...defined };
}
