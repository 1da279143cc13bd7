import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { createTracing } from './tracing.ts';

/** A port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('logs a collector that cannot be reached as a warning, and still ends the turn', async () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  // The default processor with the exporter's timeout cut short (its default, 10 s, is for production).
  const url = `http://127.0.0.1:${await closedPort()}/v1/traces`;
  const exporter = new OTLPTraceExporter({ url, timeoutMillis: 500 });
  const tracing = createTracing({ spanProcessors: [new BatchSpanProcessor({ exporter })], content: false, logger });
  const turn = tracing.telemetry.startTurn({ requestId: 'r-1', protocol: 'rest', userId: 'u-1', streaming: false });
  expect(turn.propagation()['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  turn.end({
    outcome: 'completed',
    agentId: 'agent-1',
    model: 'mock-model',
    steps: 0,
    upstreamCalls: 0,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    finishReason: null,
  });
  // Stopping resolves although the last export failed.
  await expect(tracing.shutdown()).resolves.toBeUndefined();
  const warning = lines.find((line) => String(line['msg']).startsWith('opentelemetry:'));
  expect(warning).toMatchObject({ level: 40 });
  expect(JSON.stringify(warning)).toMatch(/ECONNREFUSED/);
});
