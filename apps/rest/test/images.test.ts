import { echoResponder, pngDataUri, type RecordedRequest, sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const CAT_URL = 'https://images.example.com/cat.jpg';

const isSummaryRequest = (request: RecordedRequest) => !request.body.tools?.length;
const userContents = (request: RecordedRequest | undefined) =>
  (request?.body.messages ?? []).filter((message) => message.role === 'user').map((message) => message.content);
const hasImage = (request: RecordedRequest) =>
  userContents(request).some((content) => Array.isArray(content) && content.some((part) => part.type === 'image_url'));

describe('images in user messages (REST)', () => {
  let harness: RestHarness;
  let client: OpenAI;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 0 });
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = (await call('POST', '/v1/agents', { context_window: 4000 })).body['id'] as string;
  });

  it('takes an image turn from the official openai SDK, by URL and as a data URI', async () => {
    const data = pngDataUri(4096);
    harness.upstream.script(sendMessage('I see a cat.'), sendMessage('I see a PNG.'));
    const byUrl = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: CAT_URL, detail: 'high' } },
          ],
        },
      ],
    });
    expect(byUrl.choices[0]?.message.content).toBe('I see a cat.');
    const byData = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: data } }] }],
    });
    expect(byData.choices[0]?.message.content).toBe('I see a PNG.');

    expect(userContents(harness.upstream.requests[1])).toEqual([
      [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: CAT_URL, detail: 'high' } },
      ],
      [{ type: 'image_url', image_url: { url: data } }],
    ]);
    const stored = (await call('GET', `/v1/agents/${agentId}/messages`)).body.data as {
      role: string;
      content: unknown;
    }[];
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(
      userContents(harness.upstream.requests[1]),
    );
  });

  it('turns images into placeholders when their message is summarised, and stops sending them', async () => {
    harness.upstream.setDefault((request) =>
      isSummaryRequest(request) ? { content: 'The user showed pictures and talked.' } : echoResponder(request),
    );
    await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here are my pets.' },
            { type: 'image_url', image_url: { url: CAT_URL } },
            { type: 'image_url', image_url: { url: pngDataUri(3 * 1024) } },
          ],
        },
      ],
    });
    for (let turn = 1; turn <= 30 && !harness.upstream.requests.some(isSummaryRequest); turn++) {
      const text = `Turn ${turn}: ${'I keep talking about my garden and the weather this spring. '.repeat(12)}`;
      const response = await call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content: text }],
      });
      expect(response.status).toBe(200);
    }
    const summaryRequest = harness.upstream.requests.find(isSummaryRequest);
    expect(summaryRequest, 'the window was never summarised').toBeDefined();
    const transcript = String(summaryRequest?.body.messages.at(-1)?.content);
    expect(transcript).toContain(`user: Here are my pets. [image: ${CAT_URL}] [image: uploaded image/png, 3 KB]`);
    expect(transcript).not.toContain('base64');

    // Sent while in the window; never again once its message was summarised.
    const summaryIndex = harness.upstream.requests.indexOf(summaryRequest!);
    expect(hasImage(harness.upstream.requests[0]!)).toBe(true);
    expect(harness.upstream.requests.slice(summaryIndex + 1).some(hasImage)).toBe(false);
  });
});
