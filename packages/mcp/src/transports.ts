import type { McpConnectionConfig } from '@memgate/core';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** The SDK transport for a server: Streamable HTTP, SSE (the older HTTP transport) or a local process. */
export function createTransport(server: McpConnectionConfig, guardedFetch: typeof fetch | undefined): Transport {
  if (server.transport === 'stdio') {
    if (!server.command) throw new Error(`MCP server "${server.name}" has no command.`);
    return new StdioClientTransport({
      command: server.command,
      args: server.args ?? [],
      env: { ...inheritedEnvironment(), ...server.env },
      ...(server.cwd !== undefined && { cwd: server.cwd }),
      stderr: 'ignore',
    });
  }
  if (!server.url) throw new Error(`MCP server "${server.name}" has no URL.`);
  const url = new URL(server.url);
  const options = {
    requestInit: { headers: server.headers ?? {} },
    ...(guardedFetch && { fetch: guardedFetch }),
  };
  if (server.transport === 'sse') return new SSEClientTransport(url, options);
  // No reconnection loop of the SDK's own: the pool reconnects on the next call instead.
  return new StreamableHTTPClientTransport(url, {
    ...options,
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
}

/** What a local server inherits: the PATH and locale, not memgate's secrets (keys, database URLs). */
function inheritedEnvironment(): Record<string, string> {
  const kept = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'USERPROFILE'];
  return Object.fromEntries(
    kept.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name] as string]])),
  );
}
