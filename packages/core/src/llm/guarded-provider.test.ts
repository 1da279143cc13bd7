import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GuardedProvider } from './guarded-provider.ts';
import { OpenAiCompatibleProvider } from './openai-provider.ts';
import type { LlmRequest } from './provider.ts';

/** A real upstream answering each chat request as told: a status, a reply, or never. */
type Answer = number | 'ok' | 'hang' | 'stream';

const request: LlmRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], sampling: {} };

function reply(response: ServerResponse): void {
  const body = {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('GuardedProvider: an upstream behind its circuit breaker', () => {
  let server: Server;
  let url: string;
  const answers: Answer[] = [];
  let received = 0;

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => {
        received++;
        const answer = answers.shift() ?? 'ok';
        if (answer === 'hang') return;
        if (answer === 'ok') return reply(response);
        if (answer === 'stream') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          const chunk = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm' };
          response.write(
            `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: 'par' } }] })}\n\n`,
          );
          return;
        }
        response.writeHead(answer, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `status ${answer}`, type: 'server_error' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    answers.length = 0;
    received = 0;
  });

  const guarded = () =>
    new GuardedProvider('alpha', new OpenAiCompatibleProvider({ baseURL: url, models: ['m'], timeoutMs: 5000 }), {
      failureThreshold: 2,
      cooldownMs: 60_000,
    });

  it('opens after N retryable failures and then fails fast without a request; a 400 resets the count', async () => {
    const provider = guarded();
    answers.push(503, 400, 429, 502);
    await expect(provider.generate(request)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    await expect(provider.generate(request)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(provider.circuits()).toEqual([{ name: 'alpha', state: 'closed', consecutive_failures: 0, retry_at: null }]);
    await expect(provider.generate(request)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(provider.generate(request)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(provider.circuits()[0]).toMatchObject({ state: 'open', consecutive_failures: 2 });
    expect(received).toBe(4);
    await expect(provider.generate(request)).rejects.toMatchObject({ detailCode: 'circuit_open' });
    await expect(provider.embed!({ model: 'e', input: ['x'] })).rejects.toMatchObject({ detailCode: 'circuit_open' });
    expect(received).toBe(4);
  });

  it('a caller that aborts, or a stream consumer that leaves, is no failure', async () => {
    const provider = guarded();
    answers.push(503, 'hang', 'stream');
    await expect(provider.generate(request)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    const controller = new AbortController();
    const aborted = provider.generate(request, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    for await (const event of provider.stream(request)) {
      expect(event).toMatchObject({ type: 'content', delta: 'par' });
      break;
    }
    expect(provider.circuits()[0]).toMatchObject({ state: 'closed', consecutive_failures: 1 });
  });
});
