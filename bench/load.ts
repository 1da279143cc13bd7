import autocannon from 'autocannon';
import { percentile } from './latency.ts';

/** One load run: `connections` keep-alive connections sending POSTs back to back. */
export interface LoadOptions {
  url: string;
  path: string;
  headers?: Record<string, string>;
  /** The body of the n-th request (n counts from 0 across all connections). */
  body: (index: number) => string;
  connections: number;
  durationSeconds: number;
}

/** What a load run measured; latencies in milliseconds, client-side, per request. */
export interface LoadResult {
  requests: number;
  seconds: number;
  /** Completed 2xx requests per second. */
  throughput: number;
  p50: number;
  p99: number;
  mean: number;
  /** Connection errors, timeouts and non-2xx answers: a run with any is not a valid measurement. */
  failures: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs autocannon with a body per request (so load spreads over many agents). Latencies are taken
 * from autocannon's per-response event at full precision: its own histogram keeps whole
 * milliseconds, too coarse for a sub-millisecond question.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  let index = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: options.path,
            headers: { 'content-type': 'application/json', ...options.headers },
            setupRequest: (request) => ({ ...request, body: options.body(index++) }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.sort((a, b) => a - b);
        const seconds = result.duration;
        resolve({
          requests: latencies.length,
          seconds,
          throughput: Math.round(latencies.length / seconds),
          p50: round(percentile(sorted, 0.5)),
          p99: round(percentile(sorted, 0.99)),
          mean: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
          failures: result.errors + result.timeouts + result.non2xx,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
