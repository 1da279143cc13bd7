import {
  banner,
  closeServer,
  createRuntime,
  createSharedServer,
  listen,
  loadConfigOrExit,
  stopOnSignals,
} from '@memgate/runtime';
import { createRestApp } from './rest-app.ts';

// The REST app alone, for scaling protocols independently (contract §1).
const config = loadConfigOrExit();
const runtime = await createRuntime(config);
const server = createSharedServer(
  [],
  createRestApp(runtime.memgate, {
    bodyLimitBytes: config.bodyLimitBytes,
    corsOrigins: config.corsOrigins,
    observability: runtime.observability,
    stream: config.stream,
  }),
  { maxConnections: config.maxConnections },
);
// The banner is for the person at the terminal: stderr, so that stdout carries only the JSON log lines.
process.stderr.write(`${banner(runtime, `${await listen(server, config.port, config.host)} (REST only)`)}\n`);
stopOnSignals(
  'memgate rest',
  async () => {
    await closeServer(server);
    await runtime.close();
  },
  config.shutdownTimeoutMs,
);
