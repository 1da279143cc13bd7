import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reads a request body whole. */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The floor any Node gateway pays: a bare `node:http` server that parses the JSON body (a gateway
 * must look at it), serialises it again, forwards it over a keep-alive connection pool and pipes
 * the answer back — streamed or not — without looking at it. No auth, no storage, no framework.
 */
export async function startFloorProxy(upstreamUrl: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const body = JSON.stringify(JSON.parse(raw.toString('utf8')));
        const forwarded = httpRequest(
          {
            agent,
            host: upstream.hostname,
            port: upstream.port,
            method: 'POST',
            // The client's `/v1/chat/completions` under the upstream's base path.
            path: upstream.pathname.replace(/\/v1\/?$/, '') + (request.url ?? '/'),
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            // Stream relays must not wait for Nagle: the same setting memgate's SSE uses.
            response.socket?.setNoDelay(true);
            answer.pipe(response);
          },
        );
        forwarded.on('error', () => response.destroy());
        forwarded.end(body);
      })
      .catch(() => {
        response.writeHead(400).end();
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
