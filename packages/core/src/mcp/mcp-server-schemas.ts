import { z } from 'zod';
import { NUL_MESSAGE, noNul } from '../schemas/json-limits.ts';

/** Longest name a model accepts for a function (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`). */
export const MAX_TOOL_NAME_LENGTH = 64;
/** Between a server's name and its tool's in the name the model sees: `server__tool`. */
export const MCP_TOOL_SEPARATOR = '__';
/** Default time an MCP server has to answer one request. */
export const DEFAULT_MCP_TIMEOUT_MS = 30_000;
/** Most MCP servers one user may configure. */
export const MAX_MCP_SERVERS_PER_USER = 100;

/**
 * Server names prefix the tool names the model sees, which must fit `[a-zA-Z0-9_-]{1,64}`: 1 to
 * 48 such characters (leaving room for the tool's), without `__` (the separator).
 */
export const mcpServerNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,48}$/, 'MCP server names are 1 to 48 characters of a-z, A-Z, 0-9, _ and -.')
  .refine(
    (name) => !name.includes(MCP_TOOL_SEPARATOR),
    'MCP server names must not contain "__" (it separates the server from the tool in tool names).',
  );

// Headers the transports set themselves: a user's value would break the protocol or the request.
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'mcp-protocol-version',
  'mcp-session-id',
  'last-event-id',
  'transfer-encoding',
  'upgrade',
]);

/** Header name → value; values are credentials, kept encrypted. */
export const mcpHeadersSchema = z
  .record(
    z
      .string()
      .regex(
        /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/,
        'Header names are 1 to 128 token characters (letters, digits, - and a few symbols).',
      )
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'This header is set by the MCP transport itself.'),
    z
      .string()
      .max(8192)
      .refine((value) => !/[\r\n\0]/.test(value), 'Header values must not contain CR, LF or NUL.'),
  )
  .superRefine((headers, context) => {
    const names = Object.keys(headers);
    if (names.length > 32) context.addIssue({ code: 'custom', message: 'At most 32 headers.' });
    const lower = names.map((name) => name.toLowerCase());
    lower.forEach((name, index) => {
      if (lower.indexOf(name) !== index) {
        context.addIssue({
          code: 'custom',
          path: [names[index] ?? name],
          message: 'This header is given twice (names are case-insensitive).',
        });
      }
    });
  });

const toolNameSchema = z.string().min(1).max(128).refine(noNul, NUL_MESSAGE);

export const mcpToolNamesSchema = z.array(toolNameSchema).max(1000);

export const mcpApprovalSchema = z.union([z.enum(['always', 'never']), mcpToolNamesSchema]);

export const mcpUrlSchema = z.string().min(1).max(2048).refine(noNul, NUL_MESSAGE);

export const mcpTimeoutSchema = z.number().int().min(100).max(600_000);

/** `POST /v1/mcp-servers`. */
export const mcpServerCreateSchema = z.strictObject({
  name: mcpServerNameSchema,
  url: mcpUrlSchema,
  transport: z.enum(['streamable_http', 'sse']).default('streamable_http'),
  headers: mcpHeadersSchema.nullish(),
  allowed_tools: mcpToolNamesSchema.nullish(),
  require_approval: mcpApprovalSchema.default('always'),
  timeout_ms: mcpTimeoutSchema.default(DEFAULT_MCP_TIMEOUT_MS),
});

/** `PATCH /v1/mcp-servers/{id}`: `headers` replaces them all (null: none); absent fields stay. */
export const mcpServerUpdateSchema = z.strictObject({
  name: mcpServerNameSchema.optional(),
  url: mcpUrlSchema.optional(),
  transport: z.enum(['streamable_http', 'sse']).optional(),
  headers: mcpHeadersSchema.nullish(),
  allowed_tools: mcpToolNamesSchema.nullish(),
  require_approval: mcpApprovalSchema.optional(),
  timeout_ms: mcpTimeoutSchema.optional(),
});

/** `GET /v1/mcp-servers/{id}/tools?refresh=true`. */
export const mcpToolsQuerySchema = z.strictObject({
  refresh: z.enum(['true', 'false']).optional(),
});

export type McpServerCreate = z.input<typeof mcpServerCreateSchema>;
export type McpServerUpdate = z.input<typeof mcpServerUpdateSchema>;
