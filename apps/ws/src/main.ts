import { createServer } from 'node:http';
import { loadConfig } from '@memgate/core';
import { banner, createRuntime } from '@memgate/runtime';
import { createChatChannel } from './chat-channel.ts';

const CHANNEL_PATH = '/v1/chat/ws';

// The WebSocket chat channel alone, for scaling protocols independently (contract §1).
const config = loadConfig();
const runtime = await createRuntime(config);
const channel = createChatChannel(runtime.memgate, { maxPayloadBytes: config.bodyLimitBytes });

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  if (path === '/healthz') return json(200, { status: 'ok' });
  if (path === '/readyz') {
    runtime.memgate.ready().then(
      () => json(200, { status: 'ready', llm: runtime.memgate.provider.description }),
      (error: unknown) =>
        json(503, { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  json(404, { error: { message: `This process serves the WebSocket chat channel at ${CHANNEL_PATH} only.` } });
});
server.on('upgrade', (request, socket, head) => {
  if ((request.url ?? '/').split('?')[0] === CHANNEL_PATH) return channel.handleUpgrade(request, socket, head);
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
});
server.listen(config.port, config.host, () => {
  console.log(banner(runtime, `ws://${config.host}:${config.port}${CHANNEL_PATH} (WebSocket chat channel only)`));
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`memgate ws: ${signal} received, finishing in-flight turns…`);
  const deadline = setTimeout(() => process.exit(1), 35_000);
  deadline.unref();
  server.close();
  server.closeIdleConnections();
  await channel.close();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
