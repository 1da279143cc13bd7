import { z } from 'zod';

const approval = z
  .union([z.enum(['always', 'never']), z.array(z.string())])
  .meta({ description: 'Which tools need the client’s approval before they run: all, none, or these.' });

/** The OpenAPI description of an MCP server answer (`mcpServerResource`). */
export const mcpServerResourceSchema = z
  .object({
    id: z.string(),
    object: z.literal('mcp_server'),
    name: z.string().meta({ description: 'Prefixes its tools’ names for the model: `name__tool`.' }),
    transport: z.enum(['streamable_http', 'sse', 'stdio']),
    url: z.string().nullable().meta({ description: 'Null for a stdio server.' }),
    header_names: z.array(z.string()).meta({ description: 'The names of its headers; their values are never shown.' }),
    allowed_tools: z.array(z.string()).nullable().meta({ description: 'Null: every tool.' }),
    require_approval: approval,
    timeout_ms: z.number().int(),
    source: z
      .enum(['api', 'file'])
      .meta({ description: '`file`: the operator’s (MEMGATE_MCP_SERVERS_FILE), read-only.' }),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: 'McpServer', description: 'An MCP server agents can take tools from.' });

export const mcpToolListSchema = z
  .object({
    object: z.literal('list'),
    server_id: z.string(),
    server_name: z.string(),
    fetched_at: z.string().meta({ description: 'When the server was asked.' }),
    cached: z.boolean().meta({ description: 'Served from the 5-minute cache (`?refresh=true` asks again).' }),
    data: z.array(
      z.object({
        name: z.string().meta({ description: 'The name the model sees: `server__tool`.' }),
        tool: z.string().meta({ description: 'The server’s name for it.' }),
        description: z.string().nullable(),
        input_schema: z.unknown(),
        allowed: z.boolean(),
        requires_approval: z.boolean(),
        usable: z.boolean().meta({ description: 'False when a model cannot be given it; then `warning` says why.' }),
        warning: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'McpToolList', description: 'An MCP server’s tools, as memgate offers them.' });
