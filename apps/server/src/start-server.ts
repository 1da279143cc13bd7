import { banner, createRuntime, loadConfigOrExit, stopOnSignals } from '@memgate/runtime';
import { startMemgateServer } from './memgate-server.ts';

const config = loadConfigOrExit();
const runtime = await createRuntime(config);
const server = await startMemgateServer({
  memgate: runtime.memgate,
  port: config.port,
  host: config.host,
  bodyLimitBytes: config.bodyLimitBytes,
  corsOrigins: config.corsOrigins,
  graphqlIntrospection: config.graphqlIntrospection,
  console: config.console,
  observability: runtime.observability,
  metricsToken: runtime.metricsToken,
  stream: config.stream,
  maxConnections: config.maxConnections,
  maxWsConnectionsPerUser: config.maxWsConnectionsPerUser,
  mcpSessions: { maxPerUser: config.mcp.maxSessionsPerUser, idleMs: config.mcp.sessionIdleMs },
  // The chat channel cancels what is left a little before the process's own deadline, so that its
  // clients still get their `done` frames and a 1001.
  shutdownTimeoutMs: Math.max(0, config.shutdownTimeoutMs - 1_000),
});
// The banner is for the person at the terminal: stderr, so that stdout carries only the JSON log lines.
process.stderr.write(`${banner(runtime, server.url, { consoleUrl: server.consoleUrl })}\n`);
stopOnSignals(
  'memgate',
  async () => {
    await server.close();
    await runtime.close();
  },
  config.shutdownTimeoutMs,
);
