import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config-error.ts';
import {
  DEFAULT_MCP_TIMEOUT_MS,
  mcpApprovalSchema,
  mcpHeadersSchema,
  mcpServerNameSchema,
  mcpTimeoutSchema,
  mcpToolNamesSchema,
} from './mcp-server-schemas.ts';
import type { McpApprovalPolicy, McpTransport } from './mcp-types.ts';

/*
 * The operator's MCP servers (MEMGATE_MCP_SERVERS_FILE): read once at startup, shown read-only to
 * every user. The only place a stdio server (a local command) can be configured, and then only
 * with MEMGATE_MCP_STDIO=1: a user of the API must never choose what this host runs.
 */

const VARIABLE = 'MEMGATE_MCP_SERVERS_FILE';

const common = {
  name: mcpServerNameSchema,
  allowed_tools: mcpToolNamesSchema.optional(),
  require_approval: mcpApprovalSchema.optional(),
  timeout_ms: mcpTimeoutSchema.optional(),
};

const remoteServerSchema = z.strictObject({
  ...common,
  transport: z.enum(['streamable_http', 'sse']),
  url: z
    .string()
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'an HTTP URL (http:// or https://…)'),
  headers: mcpHeadersSchema.optional(),
});

const stdioServerSchema = z.strictObject({
  ...common,
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().min(1).optional(),
});

export const mcpServersFileSchema = z
  .strictObject({ servers: z.array(z.discriminatedUnion('transport', [remoteServerSchema, stdioServerSchema])) })
  .superRefine((file, context) => {
    const names = file.servers.map((server) => server.name.toLowerCase());
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        context.addIssue({ code: 'custom', path: ['servers', index, 'name'], message: `"${name}" is given twice` });
      }
    });
  });

/** One server of the operator's file. */
export interface McpFileServer {
  name: string;
  transport: McpTransport;
  url?: string;
  headers?: Record<string, string>;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  allowedTools: string[] | null;
  requireApproval: McpApprovalPolicy;
  timeoutMs: number;
}

function fileError(path: string, expected: string): ConfigError {
  return new ConfigError([{ variable: VARIABLE, value: path, expected }]);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

/**
 * Reads and validates the file (YAML or JSON). A stdio server without `stdioAllowed`
 * (MEMGATE_MCP_STDIO=1) is refused like any bad field: one ConfigError line, and no start.
 */
export function loadMcpServersFile(path: string, stdioAllowed: boolean): McpFileServer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError(path, `a readable MCP servers file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw fileError(path, `a YAML or JSON MCP servers file (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = mcpServersFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fileError(
      path,
      `a valid MCP servers file: ${fieldPath(issue?.path ?? []) || 'the file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.servers.map((server, index) => {
    const base = {
      name: server.name,
      transport: server.transport,
      allowedTools: server.allowed_tools ?? null,
      requireApproval: server.require_approval ?? 'always',
      timeoutMs: server.timeout_ms ?? DEFAULT_MCP_TIMEOUT_MS,
    };
    if (server.transport !== 'stdio') return { ...base, url: server.url, headers: server.headers ?? {} };
    if (!stdioAllowed) {
      throw fileError(
        path,
        `servers[${index}] (stdio) to be allowed: set MEMGATE_MCP_STDIO=1 to let memgate run local MCP servers`,
      );
    }
    return {
      ...base,
      command: server.command,
      args: server.args ?? [],
      env: server.env ?? {},
      ...(server.cwd !== undefined && { cwd: server.cwd }),
    };
  });
}
