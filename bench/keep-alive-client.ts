import { Agent, request } from 'node:http';

/** A POST client that keeps one connection open to one server, for one request at a time. */
export interface KeepAliveClient {
  /** POSTs `body` as JSON and resolves once the whole response has been read; rejects unless 200. */
  post(path: string, body: string): Promise<void>;
  close(): void;
}

/**
 * node:http with a keep-alive `Agent` of one socket, rather than global `fetch`: undici's web
 * streams and abort plumbing cost the client more CPU per request, and that client time lands in
 * both the gateway's and the direct timing as noise. One socket means every request after the first
 * reuses the same connection, so no timing includes a TCP handshake.
 */
export function keepAliveClient(baseUrl: string, headers: Record<string, string> = {}): KeepAliveClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    post(path, body) {
      return new Promise((resolve, reject) => {
        const outgoing = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path,
            method: 'POST',
            headers: {
              ...headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              if (response.statusCode === 200) resolve();
              else reject(new Error(`POST ${path} answered ${response.statusCode}: ${Buffer.concat(chunks)}`));
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
