import { AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { sendMessage } from '@memgate/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

// Needs `name` on tool messages (issue 11, item 1): LangChain always sends the tool's name there.
describe('LangChain bindTools: a client tool round trip through the agent', () => {
  const harness = useClientHarness();
  let model: ChatOpenAI;

  const lookupOrder = tool(async ({ id }) => `Order ${id} has shipped.`, {
    name: 'lookup_order',
    description: 'Look up an order by id',
    schema: z.object({ id: z.string() }),
  });

  beforeEach(async () => {
    harness.upstream.reset();
    const agentId = await harness.setup.createAgent({ name: 'langchain-tools' });
    model = new ChatOpenAI({
      model: agentId,
      apiKey: harness.apiKey,
      configuration: { baseURL: harness.baseURL },
      maxRetries: 0,
    });
  });

  it('invoke(): tool call out, tool result in, final answer', async () => {
    const withTools = model.bindTools([lookupOrder]);
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }));
    const messages: BaseMessage[] = [new HumanMessage('Where is order A17?')];
    const call = await withTools.invoke(messages);
    expect(call.tool_calls).toEqual([expect.objectContaining({ name: 'lookup_order', args: { id: 'A17' } })]);

    messages.push(call);
    for (const toolCall of call.tool_calls ?? []) messages.push(await lookupOrder.invoke(toolCall));
    harness.upstream.script(sendMessage('A17 is on its way.'));
    const final = await withTools.invoke(messages);
    expect(final.content).toBe('A17 is on its way.');
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order A17 has shipped.');
  });

  it('stream(): the tool call streams out, the answer streams back', async () => {
    const withTools = model.bindTools([lookupOrder]);
    harness.upstream.script(clientToolCall('lookup_order', { id: 'B2' }));
    const messages: BaseMessage[] = [new HumanMessage('And B2?')];
    let call: AIMessageChunk = new AIMessageChunk('');
    for await (const chunk of await withTools.stream(messages)) call = call.concat(chunk);
    expect(call.tool_calls).toEqual([expect.objectContaining({ name: 'lookup_order', args: { id: 'B2' } })]);

    messages.push(call);
    for (const toolCall of call.tool_calls ?? []) messages.push(await lookupOrder.invoke(toolCall));
    harness.upstream.script(sendMessage('B2 has shipped too.', { chunkSize: 4 }));
    let text = '';
    for await (const chunk of await withTools.stream(messages))
      text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text).toBe('B2 has shipped too.');
  });
});
