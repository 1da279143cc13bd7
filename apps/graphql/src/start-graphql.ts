import {
  banner,
  closeServer,
  createRuntime,
  createSharedServer,
  listen,
  loadConfigOrExit,
  stopOnSignals,
  UserConnections,
} from '@memgate/runtime';
import { createGraphqlApp } from './graphql-app.ts';

// The GraphQL app alone, for scaling protocols independently (contract §1). Its Koa app also
// answers /healthz and /readyz; upgrades are taken on /graphql only.
const config = loadConfigOrExit();
const runtime = await createRuntime(config);
const app = createGraphqlApp(runtime.memgate, {
  bodyLimitBytes: config.bodyLimitBytes,
  corsOrigins: config.corsOrigins,
  introspection: config.graphqlIntrospection,
  observability: runtime.observability,
  stream: config.stream,
  userConnections: new UserConnections(config.maxWsConnectionsPerUser),
  shutdownTimeoutMs: Math.max(0, config.shutdownTimeoutMs - 1_000),
});
const server = createSharedServer([{ path: '/graphql', upgrade: app.handleUpgrade }], app.handleRequest, {
  maxConnections: config.maxConnections,
});
// The banner is for the person at the terminal: stderr, so that stdout carries only the JSON log lines.
process.stderr.write(
  `${banner(runtime, `${await listen(server, config.port, config.host)}/graphql (GraphQL only)`)}\n`,
);
stopOnSignals(
  'memgate graphql',
  async () => {
    // Subscriptions never end by themselves: the app ends them while the server drains.
    await Promise.all([closeServer(server), app.close()]);
    await runtime.close();
  },
  config.shutdownTimeoutMs,
);
