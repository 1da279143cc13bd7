import { loadConfig } from '@memgate/core';
import { banner, createRuntime, stopOnSignals } from '@memgate/runtime';
import { startMemgateServer } from './memgate-server.ts';

const config = loadConfig();
const runtime = await createRuntime(config);
const server = await startMemgateServer({
  memgate: runtime.memgate,
  port: config.port,
  host: config.host,
  bodyLimitBytes: config.bodyLimitBytes,
  observability: runtime.observability,
  metricsToken: runtime.metricsToken,
});
console.log(banner(runtime, server.url));
stopOnSignals('memgate', async () => {
  await server.close();
  await runtime.close();
});
