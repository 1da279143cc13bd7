import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { OpenAiCompatibleProvider, type OpenAiCompatibleProviderOptions } from './openai-provider.ts';
import type { LlmRequest, LlmStreamEvent } from './provider.ts';

// A real HTTP server speaking the OpenAI protocol, defined per test: the provider's whole job is the wire.

interface Seen {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}
type Handler = (seen: Seen, response: ServerResponse, index: number) => void;

interface Upstream {
  baseURL: string;
  requests: Seen[];
  /** Resolves when the client closes a connection before the response ended. */
  clientLeft: Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function upstream(handler: Handler): Promise<Upstream> {
  const requests: Seen[] = [];
  let leave: () => void = () => {};
  const clientLeft = new Promise<void>((resolve) => {
    leave = resolve;
  });
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', () => {
      const seen: Seen = { body: JSON.parse(raw) as Record<string, unknown>, headers: request.headers };
      requests.push(seen);
      response.on('close', () => {
        if (!response.writableEnded) leave();
      });
      handler(seen, response, requests.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, requests, clientLeft };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sse(response: ServerResponse, frames: unknown[], end = true): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const frame of frames) response.write(`data: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`);
  if (end) response.end();
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'upstream-model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

const API_KEY = 'sk-test-secret-key-123';

function provider(baseURL: string, options: Partial<OpenAiCompatibleProviderOptions> = {}): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({ baseURL, apiKey: API_KEY, models: ['upstream-model'], ...options });
}

const basicRequest = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
  model: 'upstream-model',
  messages: [{ role: 'user', content: 'hi' }],
  sampling: {},
  ...overrides,
});

const sendMessageTool = { type: 'function' as const, function: { name: 'send_message', parameters: {} } };

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

describe('OpenAiCompatibleProvider.generate', () => {
  it('maps the request and normalises tool calls and usage', async () => {
    const server = await upstream((_seen, response) =>
      json(response, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'upstream-model-2025',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: 'thinking',
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'send_message', arguments: '{"message":"hi"}' } },
                { function: { name: 'core_memory_append', arguments: { label: 'human' } } },
              ],
            },
          },
        ],
        usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
      }),
    );
    const result = await provider(server.baseURL).generate(
      basicRequest({
        messages: [
          { role: 'developer', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ],
        tools: [sendMessageTool],
        toolChoice: 'required',
        parallelToolCalls: false,
      }),
    );
    expect(result).toMatchObject({ model: 'upstream-model-2025', content: 'thinking', finishReason: 'tool_calls' });
    expect(result.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(result.toolCalls[0]).toEqual({
      id: 'call_1',
      type: 'function',
      function: { name: 'send_message', arguments: '{"message":"hi"}' },
    });
    expect(result.toolCalls[1]).toMatchObject({
      type: 'function',
      function: { name: 'core_memory_append', arguments: '{"label":"human"}' },
    });
    expect(result.toolCalls[1]?.id).toMatch(/^call_/);

    const seen = server.requests[0]!;
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.body).toMatchObject({
      model: 'upstream-model',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      tools: [sendMessageTool],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(seen.body['stream']).toBeFalsy();
  });

  it('sends every defined sampling parameter, and no tool options without tools', async () => {
    const server = await upstream((_seen, response) =>
      json(response, 200, { model: 'm', choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] }),
    );
    const sampling = {
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 50,
      max_completion_tokens: 60,
      stop: ['END'],
      seed: 42,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      logit_bias: { '50256': -100 },
    };
    const result = await provider(server.baseURL).generate(
      basicRequest({ sampling, toolChoice: 'auto', parallelToolCalls: true }),
    );
    expect(result.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    const body = server.requests[0]!.body;
    expect(body).toMatchObject(sampling);
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');

    await provider(server.baseURL).generate(basicRequest({ sampling: { temperature: undefined } }));
    expect(server.requests[1]!.body).not.toHaveProperty('temperature');
  });

  it('sends no Authorization header without an API key', async () => {
    const server = await upstream((_seen, response) =>
      json(response, 200, { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] }),
    );
    const keyless = new OpenAiCompatibleProvider({ baseURL: server.baseURL, models: [] });
    expect(keyless).toMatchObject({ offline: false, description: `openai-compatible (${server.baseURL})` });
    const withCredentials = new OpenAiCompatibleProvider({ baseURL: 'http://user:pw@llm.internal/v1', models: [] });
    expect(withCredentials.description).toBe('openai-compatible (http://llm.internal/v1)');
    expect((await keyless.generate(basicRequest())).model).toBe('upstream-model');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('OpenAiCompatibleProvider.stream', () => {
  it('passes deltas through and assembles the result with real usage', async () => {
    const server = await upstream((_seen, response) =>
      sse(response, [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Let me ' }),
        chunk({ content: 'answer.' }),
        chunk({
          tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'send_message', arguments: '' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"message":' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'call_9', function: { arguments: '"Hello"}' } }] }),
        chunk({}, 'tool_calls'),
        { ...chunk({}), choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } },
        '[DONE]',
      ]),
    );
    const events = await collect(provider(server.baseURL).stream(basicRequest({ tools: [sendMessageTool] })));
    expect(events.slice(0, -1)).toEqual([
      { type: 'content', delta: 'Let me ' },
      { type: 'content', delta: 'answer.' },
      { type: 'tool_call', index: 0, id: 'call_9', name: 'send_message', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"message":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Hello"}' },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      result: {
        model: 'upstream-model',
        content: 'Let me answer.',
        toolCalls: [
          { id: 'call_9', type: 'function', function: { name: 'send_message', arguments: '{"message":"Hello"}' } },
        ],
        finishReason: 'tool_calls',
        usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
      },
    });
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('retries once without stream_options when the upstream rejects them, and remembers', async () => {
    const server = await upstream((seen, response) => {
      if (seen.body['stream_options']) {
        json(response, 400, { error: { message: 'Unrecognized request argument supplied: stream_options' } });
      } else {
        sse(response, [chunk({ content: 'ok' }, 'stop'), '[DONE]']);
      }
    });
    const llm = provider(server.baseURL);
    for (let turn = 0; turn < 2; turn++) {
      const events = await collect(llm.stream(basicRequest()));
      expect(events.at(-1)).toMatchObject({ type: 'done', result: { content: 'ok', finishReason: 'stop' } });
    }
    expect(server.requests.map((seen) => 'stream_options' in seen.body)).toEqual([true, false, false]);
  });

  it('turns garbled, truncated and in-band error streams into UPSTREAM_ERROR', async () => {
    const cases: unknown[][] = [
      ['{not json'],
      [chunk({ content: 'cut off' })],
      [],
      [{ error: { message: 'model overloaded', type: 'server_error' } }],
    ];
    const server = await upstream((_seen, response, index) => sse(response, cases[index] ?? []));
    const llm = provider(server.baseURL);
    const messages: string[] = [];
    for (const _ of cases) {
      const error = await failure(collect(llm.stream(basicRequest())));
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.status).toBe(502);
      messages.push(error.message);
    }
    expect(messages[1]).toMatch(/finish_reason/);
    expect(messages[3]).toMatch(/model overloaded/);
  });

  it('times out a stream that goes silent', async () => {
    const server = await upstream((_seen, response) => sse(response, [chunk({ content: 'Hel' })], false));
    const events: LlmStreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of provider(server.baseURL, { timeoutMs: 300 }).stream(basicRequest()))
          events.push(event);
      })(),
    );
    expect(events).toEqual([{ type: 'content', delta: 'Hel' }]);
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    await server.clientLeft;
  });

  it('cancels the HTTP request when the caller aborts mid-stream', async () => {
    const server = await upstream((_seen, response) => sse(response, [chunk({ content: 'first' })], false));
    const controller = new AbortController();
    const iterate = async (): Promise<void> => {
      for await (const event of provider(server.baseURL).stream(basicRequest(), { signal: controller.signal })) {
        if (event.type === 'content') controller.abort();
      }
    };
    await expect(iterate()).rejects.toMatchObject({ name: expect.stringMatching(/^(AbortError|APIUserAbortError)$/) });
    await server.clientLeft;
  });
});

describe('OpenAiCompatibleProvider errors', () => {
  it('maps a 500 to UPSTREAM_ERROR with the upstream status and message, never the key', async () => {
    const server = await upstream((_seen, response) =>
      json(response, 500, { error: { message: `backend exploded (key ${API_KEY})`, type: 'server_error' } }),
    );
    const error = await failure(provider(server.baseURL).generate(basicRequest()));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(error.message).toMatch(/500/);
    expect(error.message).toMatch(/backend exploded/);
    expect(error.message).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('maps a 429 to RATE_LIMITED with Retry-After, without retrying by default', async () => {
    const server = await upstream((_seen, response, index) =>
      json(
        response,
        429,
        { error: { message: 'slow down', type: 'rate_limit_error' } },
        [{ 'retry-after': '7' }, { 'retry-after-ms': '1500' }][index],
      ),
    );
    const first = await failure(provider(server.baseURL).generate(basicRequest()));
    expect(first).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 7 });
    const second = await failure(provider(server.baseURL).generate(basicRequest()));
    expect(second.retryAfterSeconds).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('computes Retry-After for a 429 that sends none: the rate-limit reset headers, else 1 s', async () => {
    const headers: Record<string, string>[] = [
      { 'x-ratelimit-reset-requests': '1m2.5s', 'x-ratelimit-reset-tokens': '20ms' },
      { 'x-ratelimit-reset-tokens': '6m0s' },
      { 'x-ratelimit-reset-requests': '250ms' },
      {},
      { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    ];
    const server = await upstream((_seen, response, index) =>
      json(response, 429, { error: { message: 'slow down', type: 'rate_limit_error' } }, headers[index]),
    );
    const seconds: (number | undefined)[] = [];
    for (const _ of headers)
      seconds.push((await failure(provider(server.baseURL).generate(basicRequest()))).retryAfterSeconds);
    expect(seconds).toEqual([63, 360, 1, 1, 0]);
  });

  it('flags context_length_exceeded, and reads bare-string errors (Ollama)', async () => {
    const server = await upstream((_seen, response, index) =>
      index === 0
        ? json(response, 400, {
            error: { message: 'too long', code: 'context_length_exceeded', type: 'invalid_request_error' },
          })
        : json(response, 404, { error: 'model "llama9" not found, try pulling it first' }),
    );
    const overflow = await failure(provider(server.baseURL).generate(basicRequest()));
    expect(overflow).toMatchObject({ code: 'UPSTREAM_ERROR', detailCode: 'context_length_exceeded' });
    const missing = await failure(provider(server.baseURL).generate(basicRequest()));
    expect(missing).toMatchObject({ code: 'UPSTREAM_ERROR', detailCode: null });
    expect(missing.message).toContain('404: model "llama9" not found');
  });

  it('maps garbled bodies and empty choices to UPSTREAM_ERROR', async () => {
    const server = await upstream((_seen, response, index) => {
      if (index === 0) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"choices": [ garbage');
      } else if (index === 1) json(response, 200, { choices: [] });
      else {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>proxy error</html>');
      }
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await failure(provider(server.baseURL).generate(basicRequest()))).code).toBe('UPSTREAM_ERROR');
    }
  });

  it('maps a refused connection to UPSTREAM_ERROR', async () => {
    const server = await upstream(() => {});
    const closed = servers.pop()!;
    closed.closeAllConnections();
    await new Promise((resolve) => closed.close(resolve));
    const { port } = new URL(server.baseURL);
    const call = provider(server.baseURL).generate(basicRequest(), { headers: { 'x-request-id': 'req-refused-1' } });
    const error = await failure(call);
    expect(error.code).toBe('UPSTREAM_ERROR');
    // Clients read the message: it names the request, never the upstream's address or errno text.
    expect(error.message).toBe('The upstream LLM could not be reached (request id req-refused-1).');
    expect(error.message).not.toContain(port);
    // The operator's log gets the detail.
    expect(error.logDetail).toMatch(/ECONNREFUSED/);
    expect(error.logDetail).toContain(port);
  });

  it('never passes on an HTML page or an address from the upstream, and keeps its JSON words scrubbed', async () => {
    const server = await upstream((_seen, response, index) => {
      if (index === 0) {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html><body>502 Bad Gateway: upstream 10.1.2.3:8000 unreachable (nginx)</body></html>');
      } else if (index === 1) {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>proxy at http://internal.example:3128/ says hello</html>');
      } else {
        json(response, 503, { error: { message: 'backend llm-7.internal.example:8000 is down (10.0.0.5)' } });
      }
    });
    const { host } = new URL(server.baseURL);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await failure(
        provider(server.baseURL).generate(basicRequest(), { headers: { 'x-request-id': 'r7' } }),
      );
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.message).toContain('(request id r7)');
      for (const leak of ['10.1.2.3', '8000', 'internal.example', '3128', '10.0.0.5', host, 'nginx', '<html']) {
        expect(error.message).not.toContain(leak);
      }
    }
  });

  it('maps a silent upstream, before or after the headers, to UPSTREAM_TIMEOUT', async () => {
    const server = await upstream((_seen, response, index) => {
      if (index === 1) response.writeHead(200, { 'content-type': 'application/json' }).write('{"choices":');
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failure(provider(server.baseURL, { timeoutMs: 200 }).generate(basicRequest()));
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    }
  });

  it('cancels the HTTP request on abort and surfaces an abort, not a 502', async () => {
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await upstream(() => arrived());
    const controller = new AbortController();
    const call = provider(server.baseURL).generate(basicRequest(), { signal: controller.signal });
    await requestArrived;
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: expect.stringMatching(/^(AbortError|APIUserAbortError)$/) });
    await server.clientLeft;
  });
});
