import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface ErrorBody {
  detail: unknown;
  error: { message: string; type: string; param: string | null; code: string };
}

/**
 * Errors raised by the libraries under the routes (body-parser, the router's path decoding, zlib)
 * carry a 4xx status: they are answered with it, in both error shapes, and never as a 500.
 */
describe('library errors keep their 4xx status', () => {
  let harness: RestHarness;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    agentId = (await api(harness.baseUrl, harness.apiKey)('POST', '/v1/agents', { name: 'lib' })).body['id'] as string;
  });
  afterAll(() => harness.close());

  const send = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array }) => {
    const response = await fetch(`${harness.baseUrl}${path}`, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json', ...init.headers },
      body: init.body,
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };
  const chatBody = () =>
    new TextEncoder().encode(
      JSON.stringify({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] }),
    );
  const expectShapes = (body: ErrorBody, code: string) => {
    expect(typeof body.detail).toBe('string');
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code });
    expect(body.error.message).toBe(body.detail);
  };

  it('answers a path with malformed percent-encoding with 400', async () => {
    for (const path of ['/v1/agents/%ff', '/v1/agents/%E0%A4%A', `/v1/agents/${agentId}/memory/%ff`]) {
      const response = await send(path, { method: 'GET' });
      expect(response.status, path).toBe(400);
      expectShapes(response.body, 'invalid_path');
      expect(response.body.error.message).toMatch(/malformed percent-encoding/);
    }
  });

  for (const encoding of ['gzip', 'deflate', 'br']) {
    it(`answers a body labelled Content-Encoding: ${encoding} that is not compressed with 400`, async () => {
      const response = await send('/v1/chat/completions', {
        headers: { 'content-encoding': encoding },
        body: chatBody(),
      });
      expect(response.status).toBe(400);
      expectShapes(response.body, 'invalid_encoding');
      expect(response.body.error.message).toMatch(/could not be decompressed/);
    });
  }

  it('answers an unknown Content-Encoding with 415', async () => {
    const response = await send('/v1/chat/completions', {
      headers: { 'content-encoding': 'compress' },
      body: chatBody(),
    });
    expect(response.status).toBe(415);
    expectShapes(response.body, 'invalid_encoding');
  });

  it('answers an unsupported charset with 415', async () => {
    const response = await send('/v1/agents', {
      headers: { 'content-type': 'application/json; charset=klingon' },
      body: new TextEncoder().encode('{}'),
    });
    expect(response.status).toBe(415);
    expectShapes(response.body, 'invalid_encoding');
  });

  it('still reads a body that really is gzip-compressed', async () => {
    const response = await send('/v1/agents', {
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ name: 'zipped' })),
    });
    expect(response.status).toBe(201);
  });

  it('refuses any body nested deeper than 64 levels with 422 at the field, on every route', async () => {
    const deep = `{"name":"x","persona":${'['.repeat(100)}${']'.repeat(100)}}`;
    const response = await send('/v1/agents', { body: new TextEncoder().encode(deep) });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('json_too_deep');
    const detail = response.body.detail as { loc: (string | number)[] }[];
    expect(detail[0]?.loc).toEqual(['body', 'persona', ...Array<number>(63).fill(0)]);
    const within = `{"name":"x","persona":${'['.repeat(63)}${']'.repeat(63)}}`;
    const shallow = await send('/v1/agents', { body: new TextEncoder().encode(within) });
    expect(shallow.status).toBe(422);
    expect(shallow.body.error.code).not.toBe('json_too_deep');
  });

  it('stored nothing for any of them', async () => {
    const history = await api(harness.baseUrl, harness.apiKey)('GET', `/v1/agents/${agentId}/messages`);
    expect(history.body.data).toEqual([]);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('real faults', () => {
  it('answer 500 with a generic message that reveals nothing of the fault', async () => {
    const harness = await startRestHarness();
    try {
      // A store that went away under the server: a fault of the server, not of the request.
      await harness.memgate.store.close();
      const response = await api(harness.baseUrl, harness.apiKey)('GET', '/v1/agents');
      expect(response.status).toBe(500);
      expect(response.body['detail']).toBe('Internal server error.');
      expect(response.body['error']).toMatchObject({
        message: 'Internal server error.',
        type: 'server_error',
        code: 'internal_server_error',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/database|sqlite|stack|\.ts/i);
    } finally {
      await harness.close();
    }
  });
});
