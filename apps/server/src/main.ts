import { loadConfig } from '@memgate/core';
import { banner, createRuntime } from '@memgate/runtime';
import { startMemgateServer } from './memgate-server.ts';

const config = loadConfig();
const runtime = await createRuntime(config);
const server = await startMemgateServer({
  memgate: runtime.memgate,
  port: config.port,
  host: config.host,
  bodyLimitBytes: config.bodyLimitBytes,
});
console.log(banner(runtime, server.url));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`memgate: ${signal} received, finishing in-flight requests…`);
  const deadline = setTimeout(() => process.exit(1), 30_000);
  deadline.unref();
  await server.close();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
