import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { OpenAiCompatibleProvider, type OpenAiCompatibleProviderOptions } from './openai-provider.ts';
import type { LlmRequest, LlmStreamEvent } from './provider.ts';
import { retryDelayMs, shouldRetry } from './upstream-retry.ts';

// The wire of the undici-based upstream client, through the provider, against real HTTP servers.

interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
  socket: unknown;
}

interface Upstream {
  baseURL: string;
  seen: Seen[];
  /** Distinct TCP connections the server accepted. */
  connections: () => number;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function upstream(
  handler: (seen: Seen, response: ServerResponse, index: number) => void,
  prefix = '/v1',
): Promise<Upstream> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        body,
        headers: request.headers,
        socket: request.socket,
      };
      seen.push(entry);
      handler(entry, response, seen.length - 1);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}${prefix}`, seen, connections: () => connections };
}

const completion = { model: 'm', choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] };

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function provider(baseURL: string, options: Partial<OpenAiCompatibleProviderOptions> = {}): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({ baseURL, apiKey: 'sk-wire-test', models: ['m'], ...options });
}

const request: LlmRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], sampling: {} };

async function collect(events: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const collected: LlmStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

async function failure(promise: Promise<unknown>): Promise<MemgateError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MemgateError);
  return error as MemgateError;
}

describe('upstream client: the request on the wire', () => {
  it('posts JSON under the base URL path prefix with the call headers, over kept-alive connections', async () => {
    const server = await upstream((seen, response) => {
      if (JSON.parse(seen.body).stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(`data: ${JSON.stringify(chunk({ content: 'ok' }, 'stop'))}\n\ndata: [DONE]\n\n`);
      } else json(response, 200, completion);
    }, '/proxy/openai/v1/');
    const llm = provider(server.baseURL);
    const headers = { 'x-request-id': 'req-9', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    for (let turn = 0; turn < 10; turn++) {
      expect((await llm.generate(request, { headers })).content).toBe('ok');
      expect((await collect(llm.stream(request, { headers }))).at(-1)).toMatchObject({ type: 'done' });
    }
    expect(server.seen).toHaveLength(20);
    for (const seen of server.seen) {
      expect(seen).toMatchObject({ method: 'POST', url: '/proxy/openai/v1/chat/completions' });
      expect(seen.headers).toMatchObject({
        authorization: 'Bearer sk-wire-test',
        'content-type': 'application/json',
        'x-request-id': 'req-9',
        traceparent: headers.traceparent,
      });
    }
    // Reused, not one per call: a stream left at [DONE] must not cost its connection.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('does not follow redirects: a 307 is an upstream error, and nothing is sent to its Location', async () => {
    const server = await upstream((seen, response) => {
      if (seen.url.startsWith('/elsewhere')) return json(response, 200, completion);
      response.writeHead(307, { location: '/elsewhere/chat/completions' });
      response.end();
    });
    const error = await failure(provider(server.baseURL).generate(request));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(error.message).toBe('The upstream LLM answered 307 with a body that is not JSON');
    expect(server.seen.map((seen) => seen.url)).toEqual(['/v1/chat/completions']);
  });

  it('reads SSE error events, events missing their closing blank line, and ignores what follows [DONE]', async () => {
    const bodies = [
      `event: error\ndata: {"message":"overloaded","code":"server_busy"}\n\n`,
      `data: ${JSON.stringify(chunk({ content: 'tail' }, 'stop'))}`,
      `data: ${JSON.stringify(chunk({ content: 'a' }, 'stop'))}\n\ndata: [DONE]\n\ndata: {garbage\n\n`,
    ];
    const server = await upstream((_seen, response, index) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(bodies[index]);
    });
    const llm = provider(server.baseURL);
    const error = await failure(collect(llm.stream(request)));
    expect(error.message).toBe('The upstream LLM reported an error mid-stream: overloaded');
    expect((await collect(llm.stream(request))).at(-1)).toMatchObject({ result: { content: 'tail' } });
    expect((await collect(llm.stream(request))).at(-1)).toMatchObject({ result: { content: 'a' } });
  });

  it('reads a stream that arrives in small pieces, characters split across them', async () => {
    const text = 'héllo 👋 wörld, ünïcode';
    const frames = [...text].map((character) => `data: ${JSON.stringify(chunk({ content: character }))}\n\n`);
    const bytes = Buffer.from(`${frames.join('')}data: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: [DONE]\n\n`);
    const server = await upstream((_seen, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let offset = 0;
      const next = (): void => {
        if (offset >= bytes.length) return void response.end();
        response.write(bytes.subarray(offset, offset + 5));
        offset += 5;
        setTimeout(next, 1);
      };
      next();
    });
    const events = await collect(provider(server.baseURL).stream(request));
    const deltas = events.flatMap((event) => (event.type === 'content' ? [event.delta] : []));
    expect(deltas).toEqual([...text]);
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { content: text, finishReason: 'stop' } });
  });

  it('closes the connection of a stream its consumer left early, or one that stays open after [DONE]', async () => {
    const closed: number[] = [];
    const server = await upstream((_seen, response, index) => {
      response.on('close', () => closed.push(index));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify(chunk({ content: 'first' }))}\n\n`);
      if (index === 1) response.write(`data: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: [DONE]\n\n`);
    });
    const llm = provider(server.baseURL);
    for await (const event of llm.stream(request)) {
      if (event.type === 'content') break;
    }
    expect((await collect(llm.stream(request))).at(-1)).toMatchObject({ result: { content: 'first' } });
    await expect.poll(() => closed.sort()).toEqual([0, 1]);
  });

  it('asks for base64 embeddings and decodes them; number lists from other servers stay as sent', async () => {
    const vector = [0.25, -1.5, 3];
    const server = await upstream((_seen, response, index) => {
      const base64 = Buffer.from(new Float32Array(vector).buffer).toString('base64');
      json(response, 200, { data: [{ index: 0, embedding: index === 0 ? base64 : vector }] });
    });
    const llm = provider(server.baseURL);
    expect(await llm.embed({ model: 'e', input: ['x'] })).toEqual([vector]);
    expect(await llm.embed({ model: 'e', input: ['x'] })).toEqual([vector]);
    expect(server.seen[0]).toMatchObject({ url: '/v1/embeddings' });
    expect(JSON.parse(server.seen[0]!.body)).toEqual({ model: 'e', input: ['x'], encoding_format: 'base64' });
  });
});

describe('upstream client: MEMGATE_LLM_MAX_RETRIES', () => {
  it('retries 5xx, 429 and a dropped connection after the stated wait, then answers', async () => {
    const server = await upstream((seen, response, index) => {
      if (index === 0) json(response, 503, { error: { message: 'busy' } }, { 'retry-after-ms': '5' });
      else if (index === 1) json(response, 429, { error: { message: 'slow' } }, { 'retry-after': '0' });
      else if (index === 2) (seen.socket as { destroy(): void }).destroy();
      else json(response, 200, completion);
    });
    expect((await provider(server.baseURL, { maxRetries: 3 }).generate(request)).content).toBe('ok');
    expect(server.seen).toHaveLength(4);
  });

  it('stops at the limit with the last error, and never retries a 400 or an x-should-retry: false', async () => {
    const server = await upstream((_seen, response, index) => {
      if (index < 2) json(response, 500, { error: { message: `boom ${index}` } }, { 'retry-after-ms': '1' });
      else if (index === 2) json(response, 400, { error: { message: 'bad' } });
      else json(response, 503, { error: { message: 'final' } }, { 'x-should-retry': 'false' });
    });
    const llm = provider(server.baseURL, { maxRetries: 1 });
    expect((await failure(llm.generate(request))).message).toBe('The upstream LLM answered 500: boom 1');
    expect((await failure(llm.generate(request))).message).toBe('The upstream LLM answered 400: bad');
    expect((await failure(llm.generate(request))).message).toBe('The upstream LLM answered 503: final');
    expect(server.seen).toHaveLength(4);
  });

  it('retries within the call timeout: a long backoff ends in UPSTREAM_TIMEOUT', async () => {
    const server = await upstream((_seen, response) =>
      json(response, 503, { error: { message: 'busy' } }, { 'retry-after': '30' }),
    );
    const error = await failure(provider(server.baseURL, { maxRetries: 2, timeoutMs: 200 }).generate(request));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(server.seen).toHaveLength(1);
  });

  it('follows the SDK policy: x-should-retry decides, else 408/409/429/5xx; stated waits up to 60 s', () => {
    const headers = (entries: Record<string, string> = {}) => new Headers(entries);
    expect([400, 404, 408, 409, 429, 500, 503].map((status) => shouldRetry(status, headers()))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(shouldRetry(400, headers({ 'x-should-retry': 'true' }))).toBe(true);
    expect(retryDelayMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), 2, 2)).toBe(250);
    expect(retryDelayMs(headers({ 'retry-after': '2' }), 2, 2)).toBe(2000);
    // Ignored when over 60 s: the backoff applies, 0.5 s doubling per retry, at most 25 % less.
    for (const [remaining, seconds] of [
      [3, 0.5],
      [2, 1],
      [1, 2],
    ] as const) {
      const delay = retryDelayMs(headers({ 'retry-after': '3600' }), remaining, 3);
      expect(delay).toBeLessThanOrEqual(seconds * 1000);
      expect(delay).toBeGreaterThanOrEqual(seconds * 750);
    }
    expect(retryDelayMs(undefined, 1, 10)).toBeLessThanOrEqual(8000);
  });
});

describe('upstream client: probe', () => {
  it('GETs /models: any answer is reachable, a non-2xx answer is reported with its status', async () => {
    const server = await upstream((_seen, response, index) =>
      index === 0 ? json(response, 200, { data: [] }) : json(response, 401, { error: { message: 'no key' } }),
    );
    const llm = provider(server.baseURL);
    expect(await llm.probe()).toEqual({ reachable: true });
    expect(await llm.probe()).toEqual({ reachable: true, error: 'GET /models answered HTTP 401' });
    expect(server.seen.map((seen) => [seen.method, seen.url, seen.headers.authorization])).toEqual([
      ['GET', '/v1/models', 'Bearer sk-wire-test'],
      ['GET', '/v1/models', 'Bearer sk-wire-test'],
    ]);
  });
});
