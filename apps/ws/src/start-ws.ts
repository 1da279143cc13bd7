import type { IncomingMessage, ServerResponse } from 'node:http';
import { readiness } from '@memgate/core';
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
import { createChatChannel } from './chat-channel.ts';

const CHANNEL_PATH = '/v1/chat/ws';

// The WebSocket chat channel alone, for scaling protocols independently (contract §1).
const config = loadConfigOrExit();
const runtime = await createRuntime(config);
const channel = createChatChannel(runtime.memgate, {
  maxPayloadBytes: config.bodyLimitBytes,
  corsOrigins: config.corsOrigins,
  observability: runtime.observability,
  userConnections: new UserConnections(config.maxWsConnectionsPerUser),
  stallMs: config.stream.stallMs,
  maxBufferedBytes: config.stream.maxBufferedBytes,
  shutdownTimeoutMs: Math.max(0, config.shutdownTimeoutMs - 1_000),
});

/** Health probes; every other HTTP request is answered 404 (this process only upgrades). */
function health(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  if (path === '/healthz') {
    json(200, { status: 'ok' });
    return;
  }
  if (path === '/readyz') {
    void readiness(runtime.memgate).then(({ httpStatus, body }) => json(httpStatus, body));
    return;
  }
  json(404, { error: { message: `This process serves the WebSocket chat channel at ${CHANNEL_PATH} only.` } });
}

const server = createSharedServer([{ path: CHANNEL_PATH, upgrade: channel.handleUpgrade }], health, {
  maxConnections: config.maxConnections,
});
const url = await listen(server, config.port, config.host);
// The banner is for the person at the terminal: stderr, so that stdout carries only the JSON log lines.
process.stderr.write(
  `${banner(runtime, `${url.replace('http', 'ws')}${CHANNEL_PATH} (WebSocket chat channel only)`)}\n`,
);
stopOnSignals(
  'memgate ws',
  async () => {
    // Open sockets hold the server: the channel lets in-flight turns finish, then closes with 1001.
    await Promise.all([closeServer(server), channel.close()]);
    await runtime.close();
  },
  config.shutdownTimeoutMs,
);
