import { pngDataUri } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const NESTED = '<nested>';

describe('bad input answers 4xx in the contract shape and stores nothing', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness({ bodyLimitBytes: 64 * 1024, maxAttachmentBytes: 1024 });
    call = api(harness.baseUrl, harness.apiKey);
    agentId = (await call('POST', '/v1/agents', { name: 'strict' })).body['id'] as string;
  });
  afterAll(() => harness.close());

  const base = () => ({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });
  const withPart = (part: unknown, role = 'user') => ({
    ...base(),
    messages: [{ role, content: [{ type: 'text', text: 'Look' }, part] }],
  });
  /** The body as JSON text with `NESTED` replaced by `{ "p": { "p": … {} } }`, `depth` objects deep. */
  const withNested = (body: unknown, depth: number) =>
    JSON.stringify(body).replace(`"${NESTED}"`, `${'{"p":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);
  const image = (url: string) => ({ type: 'image_url', image_url: { url } });
  const imageUrlLoc = ['body', 'messages', 0, 'content', 1, 'image_url', 'url'];
  const cases: [string, () => unknown, number, RegExp, (string | number)[] | null][] = [
    ['invalid JSON', () => '{"model": ', 422, /not valid JSON/, ['body']],
    ['a missing model', () => ({ ...base(), model: undefined }), 422, /Field required/, ['body', 'model']],
    [
      'a message with no content',
      () => ({ ...base(), messages: [{ role: 'user' }] }),
      422,
      /Field required/,
      ['body', 'messages', 0, 'content'],
    ],
    [
      'an unknown role',
      () => ({ ...base(), messages: [{ role: 'robot', content: 'x' }] }),
      422,
      /./,
      ['body', 'messages', 0, 'role'],
    ],
    [
      'an unknown parameter',
      () => ({ ...base(), frobnicate: true }),
      422,
      /Unrecognized request argument supplied: frobnicate/,
      ['body', 'frobnicate'],
    ],
    ['n > 1', () => ({ ...base(), n: 3 }), 422, /n > 1 is not supported/, ['body', 'n']],
    ['logprobs', () => ({ ...base(), logprobs: true }), 422, /logprobs is not supported/, ['body', 'logprobs']],
    [
      "json_object with no mention of JSON in the messages (OpenAI's rule)",
      () => ({ ...base(), response_format: { type: 'json_object' } }),
      422,
      /must contain the word 'json'/,
      ['body', 'messages'],
    ],
    [
      'a json_schema without a name',
      () => ({ ...base(), response_format: { type: 'json_schema', json_schema: { schema: { type: 'object' } } } }),
      422,
      /Field required/,
      ['body', 'response_format', 'json_schema', 'name'],
    ],
    [
      'a json_schema name with a space',
      () => ({ ...base(), response_format: { type: 'json_schema', json_schema: { name: 'my schema' } } }),
      422,
      /Schema names must be/,
      ['body', 'response_format', 'json_schema', 'name'],
    ],
    [
      'a malformed JSON Schema',
      () => ({
        ...base(),
        response_format: { type: 'json_schema', json_schema: { name: 'bad', schema: { type: 'banana' } } },
      }),
      422,
      /Invalid JSON Schema/,
      ['body', 'response_format', 'json_schema', 'schema'],
    ],
    [
      'a json_schema schema that is not an object',
      () => ({ ...base(), response_format: { type: 'json_schema', json_schema: { name: 'bad', schema: 'x' } } }),
      422,
      /expected record/,
      ['body', 'response_format', 'json_schema', 'schema'],
    ],
    [
      'stream_options without stream',
      () => ({ ...base(), stream_options: { include_usage: true } }),
      422,
      /only allowed when stream/,
      ['body', 'stream_options'],
    ],
    [
      'an image URL with an ftp: scheme',
      () => withPart(image('ftp://example.com/cat.png')),
      422,
      /https:, http: or a base64 data: URI; got "ftp:"/,
      imageUrlLoc,
    ],
    ['an image URL with no scheme', () => withPart(image('cat.png')), 422, /got no scheme/, imageUrlLoc],
    [
      'a data URI that is not base64',
      () => withPart(image('data:image/png,raw')),
      422,
      /Malformed data URI/,
      imageUrlLoc,
    ],
    [
      'a data URI with broken base64',
      () => withPart(image('data:image/png;base64,iVBO*w0K')),
      422,
      /not valid base64/,
      imageUrlLoc,
    ],
    [
      'a data URI of another media type',
      () => withPart(image('data:text/plain;base64,aGk=')),
      422,
      /must hold an image/,
      imageUrlLoc,
    ],
    [
      'a data URI whose bytes are not its image type',
      () => withPart(image('data:image/jpeg;base64,aGVsbG8=')),
      422,
      /not a image\/jpeg image/,
      imageUrlLoc,
    ],
    [
      'an unknown image detail',
      () => withPart({ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'max' } }),
      422,
      /auto|low|high/,
      ['body', 'messages', 0, 'content', 1, 'image_url', 'detail'],
    ],
    [
      'an input_audio part',
      () => withPart({ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }),
      422,
      /not supported: input_audio/,
      ['body', 'messages', 0, 'content', 1, 'type'],
    ],
    [
      'a file part',
      () => withPart({ type: 'file', file: { file_id: 'file-1' } }),
      422,
      /not supported: file/,
      ['body', 'messages', 0, 'content', 1, 'type'],
    ],
    [
      'an image in a system message',
      () => withPart(image('https://example.com/a.png'), 'system'),
      422,
      /only allowed in user messages/,
      ['body', 'messages', 0, 'content', 1, 'type'],
    ],
    [
      'a client tool named like an agent tool',
      () => ({ ...base(), tools: [{ type: 'function', function: { name: 'send_message' } }] }),
      422,
      /reserved/,
      ['body', 'tools', 0, 'function', 'name'],
    ],
    [
      'tool_choice naming no offered tool',
      () => ({
        ...base(),
        tools: [{ type: 'function', function: { name: 'a' } }],
        tool_choice: { type: 'function', function: { name: 'b' } },
      }),
      422,
      /No tool named "b"/,
      ['body', 'tool_choice'],
    ],
    ['stream as a string', () => ({ ...base(), stream: 'yes' }), 422, /expected boolean/i, ['body', 'stream']],
    [
      'a tool schema nested deeper than 64 levels',
      () =>
        withNested(
          { ...base(), tools: [{ type: 'function', function: { name: 'deep', parameters: NESTED } }] },
          10_000,
        ),
      422,
      /nested deeper than 64 levels\. \(at tools\.0\.function\.parameters\.p\.p/,
      ['body', 'tools', 0, 'function', 'parameters', ...Array<string>(60).fill('p')],
    ],
    [
      'a NUL character in a user message',
      () => ({ ...base(), messages: [{ role: 'user', content: 'a\u0000b' }] }),
      422,
      /NUL characters/,
      ['body', 'messages', 0, 'content'],
    ],
    [
      'a NUL character in a text part',
      () => ({ ...base(), messages: [{ role: 'user', content: [{ type: 'text', text: '\u0000' }] }] }),
      422,
      /NUL characters/,
      ['body', 'messages', 0, 'content', 0, 'text'],
    ],
    [
      'a NUL character in an image URL',
      () => withPart(image('https://example.com/a\u0000.png')),
      422,
      /NUL characters/,
      imageUrlLoc,
    ],
    [
      'more new input messages than MEMGATE_MAX_INPUT_MESSAGES',
      () => ({
        ...base(),
        messages: Array.from({ length: 257 }, (_, index) => ({ role: 'user', content: `${index}` })),
      }),
      422,
      /at most 256 new input messages; this one brings 257|at most 256 new input messages/,
      ['body', 'messages'],
    ],
  ];
  for (const [label, body, status, message, loc] of cases) {
    it(`refuses ${label} with ${status}`, async () => {
      const response = await call('POST', '/v1/chat/completions', body());
      expect(response.status).toBe(status);
      const error = response.body['error'] as { message: string; type: string; param: string | null; code: string };
      expect(error.message).toMatch(message);
      expect(error.type).toBe('invalid_request_error');
      const detail = response.body['detail'] as { loc: (string | number)[]; msg: string; type: string }[];
      expect(Array.isArray(detail)).toBe(true);
      if (loc) expect(detail[0]?.loc).toEqual(loc);
      expect(typeof detail[0]?.msg).toBe('string');
      expect(typeof detail[0]?.type).toBe('string');
    });
  }

  it('refuses an image over MEMGATE_MAX_ATTACHMENT_BYTES with 413 naming the part', async () => {
    const response = await call('POST', '/v1/chat/completions', withPart(image(pngDataUri(1025))));
    expect(response.status).toBe(413);
    expect(response.body['detail']).toMatch(/1025 bytes; images may be at most 1024 bytes/);
    expect(response.body['error']).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages.0.content.1.image_url.url',
      code: 'attachment_too_large',
    });
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await call('POST', '/v1/chat/completions', {
      ...base(),
      messages: [{ role: 'user', content: 'x'.repeat(70_000) }],
    });
    expect(response.status).toBe(413);
    expect(typeof response.body['detail']).toBe('string');
    expect((response.body['error'] as { code: string }).code).toBe('payload_too_large');
  });

  it('refuses missing and unknown keys with 401', async () => {
    const anonymous = await api(harness.baseUrl, null)('GET', '/v1/agents');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body['detail']).toMatch(/Missing API key/);
    const wrong = await api(harness.baseUrl, 'mg-not-a-key')('GET', '/v1/agents');
    expect(wrong.status).toBe(401);
  });

  it('refuses invalid agent and memory input with 422', async () => {
    expect((await call('POST', '/v1/agents', { name: 'x', colour: 'blue' })).status).toBe(422);
    expect((await call('POST', '/v1/agents', { context_window: 3 })).status).toBe(422);
    expect((await call('GET', `/v1/agents/${agentId}/messages?limit=0`)).status).toBe(422);
    const tooLong = await call('PUT', `/v1/agents/${agentId}/memory/human`, { value: 'y'.repeat(5001) });
    expect(tooLong.status).toBe(422);
    expect((tooLong.body['detail'] as { loc: string[] }[])[0]?.loc).toEqual(['body', 'value']);
    expect((await call('PUT', `/v1/agents/${agentId}/memory/nope`, { value: 'x' })).status).toBe(404);
  });

  it('stored nothing for any of the refused requests', async () => {
    expect((await call('GET', `/v1/agents/${agentId}/messages`)).body.data).toEqual([]);
    const memory = (await call('GET', `/v1/agents/${agentId}/memory`)).body['blocks'] as {
      label: string;
      value: string;
    }[];
    expect(memory.find((block) => block.label === 'human')?.value).toBe('');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('answers unknown routes with 404 in the contract shape', async () => {
    const response = await call('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body['error']).toMatchObject({ type: 'not_found_error' });
  });
});

describe('MEMGATE_MAX_INPUT_MESSAGES', () => {
  let harness: RestHarness;
  afterAll(() => harness.close());

  it('caps the new input messages of one request at the configured number', async () => {
    harness = await startRestHarness({ maxInputMessages: 2 });
    const call = api(harness.baseUrl, harness.apiKey);
    const agentId = (await call('POST', '/v1/agents', { name: 'capped' })).body['id'] as string;
    const users = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ role: 'user', content: `${index}` }));
    const refused = await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: users(3),
    });
    expect(refused.status).toBe(422);
    expect(refused.body['error']).toMatchObject({ param: 'messages', code: 'too_many_messages' });
    expect((await call('GET', `/v1/agents/${agentId}/messages`)).body.data).toEqual([]);
    const accepted = await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: users(2),
    });
    expect(accepted.status).toBe(200);
  });
});
