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
  observability: runtime.observability,
  metricsToken: runtime.metricsToken,
});
console.log(banner(runtime, server.url));
stopOnSignals('memgate', async () => {
  await server.close();
  await runtime.close();
});
