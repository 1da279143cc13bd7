import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemgateMcpOptions } from '@memgate/core';
import { createRestApp } from '@memgate/rest';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  type ConformanceTarget,
  conformanceTarget,
  createTestMemgate,
  type MockUpstream,
  RestSetup,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { type ChatChannel, type ChatChannelOptions, createChatChannel } from '../src/index.ts';
import { wsProtocolClient } from './ws-protocol-client.ts';

export const CHANNEL_PATH = '/v1/chat/ws';

export interface WsHarness extends TestMemgate {
  /** `http://127.0.0.1:PORT`: REST for setup. */
  baseUrl: string;
  /** `ws://127.0.0.1:PORT/v1/chat/ws` */
  wsUrl: string;
  upstream: MockUpstream;
  channel: ChatChannel;
  server: Server;
  rest: RestSetup;
  close(): Promise<void>;
}

/**
 * REST and the chat channel on one real node:http server on port 0, over a real SQLite file,
 * with the mock upstream behind the core.
 */
export async function startWsHarness(
  options: ChatChannelOptions = {},
  upstreamOptions: { upstreamUrl?: string; timeoutMs?: number; mcp?: MemgateMcpOptions } = {},
): Promise<WsHarness> {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-ws-'));
  const test = await createTestMemgate({
    store: SqliteStore.open(dataDir),
    upstreamUrl: upstreamOptions.upstreamUrl ?? upstream.url,
    timeoutMs: upstreamOptions.timeoutMs,
    mcp: upstreamOptions.mcp,
  });
  const channel = createChatChannel(test.memgate, options);
  const server = createServer(createRestApp(test.memgate));
  server.on('upgrade', (request, socket, head) => {
    if (request.url?.split('?')[0] === CHANNEL_PATH) return channel.handleUpgrade(request, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    ...test,
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}${CHANNEL_PATH}`,
    upstream,
    channel,
    server,
    rest: new RestSetup(baseUrl, test.apiKey),
    async close() {
      if (closed) return;
      closed = true;
      await channel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A promise the test resolves by hand, e.g. to hold a mock upstream answer until a point of the test. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Polls `condition` until it holds (the test's timeout bounds the wait). */
export async function until(condition: () => boolean, intervalMs = 10): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

/** The harness as the conformance suites (protocol and upstream faults) see it. */
export async function startWsTarget(
  options: { upstreamUrl?: string; timeoutMs?: number } = {},
): Promise<ConformanceTarget> {
  const harness = await startWsHarness({}, options);
  return conformanceTarget(harness, (apiKey) => wsProtocolClient(harness.wsUrl, apiKey));
}
