import { HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { sendMessage } from '@memgate/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { useClientHarness } from './client-harness.ts';

describe('LangChain ChatOpenAI against memgate (the agent named by `model`)', () => {
  const harness = useClientHarness();
  let model: ChatOpenAI;
  let agentId: string;

  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.setup.createAgent({ name: 'langchain' });
    model = new ChatOpenAI({
      model: agentId,
      apiKey: harness.apiKey,
      configuration: { baseURL: harness.baseURL },
      maxRetries: 0,
    });
  });

  it('invoke() returns the reply the agent sent', async () => {
    harness.upstream.script(sendMessage('Hello from the agent.'));
    const reply = await model.invoke([new HumanMessage('Hi')]);
    expect(reply.content).toBe('Hello from the agent.');
    expect(reply.usage_metadata?.total_tokens).toBeGreaterThan(0);
    const stored = await harness.setup.messages(agentId);
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['Hi']);
  });

  it('stream() yields the reply in several chunks, with usage', async () => {
    harness.upstream.script(sendMessage('Streaming through LangChain.', { chunkSize: 4 }));
    const chunks: string[] = [];
    let usage = 0;
    for await (const chunk of await model.stream('Go')) {
      if (typeof chunk.content === 'string' && chunk.content) chunks.push(chunk.content);
      usage += chunk.usage_metadata?.total_tokens ?? 0;
    }
    expect(chunks.join('')).toBe('Streaming through LangChain.');
    expect(chunks.length).toBeGreaterThan(1);
    expect(usage).toBeGreaterThan(0);
  });

  it('keeps the conversation in the agent: a resent history is not stored twice', async () => {
    harness.upstream.script(sendMessage('First answer.'), sendMessage('Second answer.'));
    const first = await model.invoke('One');
    await model.invoke([new HumanMessage('One'), first, new HumanMessage('Two')]);
    const stored = await harness.setup.messages(agentId);
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
      'One',
      'Two',
    ]);
  });
});
