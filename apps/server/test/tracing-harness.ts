import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@memgate/core';
import { createRuntime, quietObservability, type Runtime } from '@memgate/runtime';
import {
  type MockUpstream,
  type OtlpReceiver,
  type ReceivedSpan,
  RestSetup,
  startMockUpstream,
  startOtlpReceiver,
} from '@memgate/testkit';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

export interface TracedServer {
  server: MemgateServer;
  runtime: Runtime;
  upstream: MockUpstream;
  receiver: OtlpReceiver;
  apiKey: string;
  agentId: string;
  /** Stops the server and the runtime (which flushes the spans), then returns every span received. */
  stop(): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/**
 * The all-in-one server built the way `memgate` starts it — configuration from environment
 * variables, `createRuntime` — with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an in-process OTLP
 * receiver, the mock upstream and a real SQLite file.
 */
export async function startTracedServer(env: Record<string, string> = {}): Promise<TracedServer> {
  const upstream = await startMockUpstream();
  const receiver = await startOtlpReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-tracing-'));
  const config = loadConfig({
    MEMGATE_DATA_DIR: dataDir,
    MEMGATE_LLM_BASE_URL: upstream.url,
    MEMGATE_LLM_API_KEY: 'upstream-test-key',
    MEMGATE_LLM_MODEL: 'mock-model',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    ...env,
  });
  const runtime = await createRuntime(config, { observability: quietObservability() });
  const server = await startMemgateServer({ memgate: runtime.memgate, port: 0, observability: runtime.observability });
  const apiKey = runtime.createdDefaultKey?.key ?? '';
  const agentId = await new RestSetup(server.url, apiKey).createAgent({ name: 'traced' });
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await server.close();
      await runtime.close();
    }
    return receiver.spans;
  };
  return {
    server,
    runtime,
    upstream,
    receiver,
    apiKey,
    agentId,
    stop,
    async close() {
      await stop();
      await upstream.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A span's tree below it, by name: `['invoke_agent', ['memgate.lock.wait'], …]`. */
export function spanTree(spans: ReceivedSpan[], root: ReceivedSpan): unknown {
  const children = spans
    .filter((span) => span.parentSpanId === root.spanId)
    .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
  return [root.name, ...children.map((child) => spanTree(spans, child))];
}

/** A W3C `traceparent` for a client-chosen trace and span. */
export function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}
