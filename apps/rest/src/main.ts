import { createServer } from 'node:http';
import { loadConfig } from '@memgate/core';
import { banner, createRuntime } from '@memgate/runtime';
import { createRestApp } from './rest-app.ts';

// The REST app alone, for scaling protocols independently (contract §1).
const config = loadConfig();
const runtime = await createRuntime(config);
const server = createServer(createRestApp(runtime.memgate, { bodyLimitBytes: config.bodyLimitBytes }));
server.requestTimeout = 0;
server.listen(config.port, config.host, () => {
  console.log(banner(runtime, `http://${config.host}:${config.port} (REST only)`));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => void runtime.close().then(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
