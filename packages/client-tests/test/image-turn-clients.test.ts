import { HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { useClientHarness } from './client-harness.ts';

// Needs image_url parts stored as attachments (issue 11, item 3).
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('an image turn from the clients', () => {
  const harness = useClientHarness();
  let agentId: string;

  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.setup.createAgent({ name: 'vision' });
  });

  function sentImageParts(): unknown[] {
    const user = harness.upstream.requests[0]?.body.messages.findLast((message) => message.role === 'user');
    return Array.isArray(user?.content) ? user.content.filter((part) => part.type === 'image_url') : [];
  }

  it('openai-node: a data: image reaches the upstream and the turn answers', async () => {
    const client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
    harness.upstream.script(sendMessage('A single red pixel.'));
    const completion = await client.chat.completions.create({
      model: agentId,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: PIXEL } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('A single red pixel.');
    expect(sentImageParts()).toEqual([{ type: 'image_url', image_url: expect.objectContaining({ url: PIXEL }) }]);
  });

  it('LangChain: a HumanMessage with an image_url part', async () => {
    const model = new ChatOpenAI({
      model: agentId,
      apiKey: harness.apiKey,
      configuration: { baseURL: harness.baseURL },
      maxRetries: 0,
    });
    harness.upstream.script(sendMessage('Still one pixel.'));
    const reply = await model.invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'And now?' },
          { type: 'image_url', image_url: { url: PIXEL } },
        ],
      }),
    ]);
    expect(reply.content).toBe('Still one pixel.');
    expect(sentImageParts()).toHaveLength(1);
  });
});
