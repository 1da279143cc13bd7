import { OpenAI } from '@llamaindex/openai';
import { sendMessage } from '@memgate/testkit';
import { type ChatMessage, tool } from 'llamaindex';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

describe('LlamaIndex OpenAI against memgate (the agent named by `user`)', () => {
  const harness = useClientHarness();
  let llm: OpenAI;
  let agentId: string;

  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.setup.createAgent({ name: 'llamaindex' });
    // A known model name keeps LlamaIndex's capability table (tool calls, context window) right;
    // the agent goes in `user`, which memgate reads first.
    llm = new OpenAI({
      model: 'gpt-4o-mini',
      apiKey: harness.apiKey,
      baseURL: harness.baseURL,
      maxRetries: 0,
      additionalChatOptions: { user: agentId },
    });
  });

  it('chat() returns the agent reply', async () => {
    harness.upstream.script(sendMessage('Hello from the agent.'));
    const response = await llm.chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.message.content).toBe('Hello from the agent.');
    expect((await harness.setup.messages(agentId)).map((message) => message.content)).toContain('Hi');
  });

  it('chat({ stream: true }) yields the reply in deltas', async () => {
    harness.upstream.script(sendMessage('Streaming through LlamaIndex.', { chunkSize: 4 }));
    const deltas: string[] = [];
    for await (const chunk of await llm.chat({ messages: [{ role: 'user', content: 'Go' }], stream: true })) {
      if (chunk.delta) deltas.push(chunk.delta);
    }
    expect(deltas.join('')).toBe('Streaming through LlamaIndex.');
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('exec() runs a tool the agent called, and the agent answers from its result', async () => {
    const lookupOrder = tool({
      name: 'lookup_order',
      description: 'Look up an order by id',
      parameters: z.object({ id: z.string() }),
      execute: ({ id }) => `Order ${id} has shipped.`,
    });
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }));
    const messages: ChatMessage[] = [{ role: 'user', content: 'Where is A17?' }];
    const step = await llm.exec({ messages, tools: [lookupOrder] });
    expect(step.toolCalls.map((call) => call.name)).toEqual(['lookup_order']);
    messages.push(...step.newMessages);

    harness.upstream.script(sendMessage('A17 is on its way.'));
    const final = await llm.exec({ messages, tools: [lookupOrder] });
    expect(final.toolCalls).toEqual([]);
    expect(final.newMessages.at(-1)?.content).toBe('A17 is on its way.');
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order A17 has shipped.');
  });
});
