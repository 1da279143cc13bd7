import type { ChatCompletionChunk, ErrorFrame } from '@memgate/core';
import { SdkMcpClientPool } from '@memgate/mcp';
import { sendMessage, startTestMcpServer, type TestMcpServer, type TestMcpTool } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, type WsHarness } from './ws-harness.ts';

/** The tool calls a streamed turn handed to the client, assembled from its chunks. */
function toolCallsOf(chunks: ChatCompletionChunk[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = calls[delta.index] ?? { id: '', name: '', arguments: '' };
      calls[delta.index] = call;
      call.id += delta.id ?? '';
      call.name += delta.function?.name ?? '';
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

describe('MCP approvals over the WebSocket chat channel', () => {
  let harness: WsHarness;
  let client: ChannelClient;
  let server: TestMcpServer;
  const received: Record<string, unknown>[] = [];
  const record: TestMcpTool = {
    name: 'record',
    inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
    run: async (args) => {
      received.push(args);
      return { text: `recorded ${String(args['note'])}` };
    },
  };

  beforeAll(async () => {
    server = await startTestMcpServer({ tools: [record] });
    harness = await startWsHarness(
      {},
      { mcp: { pool: new SdkMcpClientPool({ allowPrivate: true }), allowPrivate: true } },
    );
    client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    const created = await harness.rest.request<{ name: string }>('POST', '/v1/mcp-servers', {
      name: 'notes',
      url: server.url,
      transport: 'streamable_http',
      require_approval: 'always',
    });
    expect(created.name).toBe('notes');
  });
  afterAll(async () => {
    await client.close();
    await harness.close();
    await server.close();
  });

  /** A turn in which the agent calls notes__record: the channel hands the call to the client. */
  async function askApproval(agentId: string, id: string, note: string) {
    harness.upstream.script(
      { toolCalls: [{ id, name: 'notes__record', arguments: { note } }] },
      sendMessage(`Handled ${note}.`),
    );
    const history = [{ role: 'user', content: `record ${note}` }];
    client.create(`ask-${id}`, { model: 'mock-model', user: agentId, stream: true, messages: history });
    const asked = await client.outcome(`ask-${id}`);
    expect(asked.terminal.type).toBe('chat.completion.done');
    const calls = toolCallsOf(asked.chunks);
    expect(calls).toEqual([{ id, name: 'notes__record', arguments: JSON.stringify({ note }) }]);
    const finish = asked.chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean);
    expect(finish).toEqual(['tool_calls']);
    const assistant = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id, type: 'function', function: { name: 'notes__record', arguments: JSON.stringify({ note }) } }],
    };
    return [...history, assistant];
  }

  it('approve: the tool runs, its result is what the agent reads, and the turn goes on', async () => {
    const agentId = await harness.rest.createAgent({ name: 'approver' });
    const view = await harness.rest.request<{ tools: { name: string }[] }>('PUT', `/v1/agents/${agentId}/tools`, {
      tools: [{ server: 'notes', all: true }],
    });
    expect(view.tools.map((tool) => tool.name)).toEqual(['notes__record']);
    received.length = 0;
    client.send({ type: 'agent.subscribe', agent_id: agentId });
    await client.next((frame) => frame.type === 'agent.subscribed' && frame.agent_id === agentId);
    const history = await askApproval(agentId, 'call_yes', 'ws-approved');
    expect(received).toEqual([]);

    client.create('bad', {
      model: 'mock-model',
      user: agentId,
      stream: true,
      messages: [...history, { role: 'tool', tool_call_id: 'call_yes', content: 'yes please' }],
    });
    const bad = await client.outcome('bad');
    expect((bad.terminal as ErrorFrame).error).toMatchObject({ status: 422, code: 'invalid_approval' });
    expect(received).toEqual([]);

    client.create('yes', {
      model: 'mock-model',
      user: agentId,
      stream: true,
      messages: [...history, { role: 'tool', tool_call_id: 'call_yes', content: '{"approve": true}' }],
    });
    const approved = await client.outcome('yes');
    expect(approved.terminal.type).toBe('chat.completion.done');
    expect(received).toEqual([{ note: 'ws-approved' }]);
    const text = approved.chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Handled ws-approved.');
    const seen = harness.upstream.requests.at(-1)?.body.messages.findLast((message) => message.role === 'tool');
    expect(seen?.content).toBe('recorded ws-approved');
    const stored = await harness.rest.messages(agentId);
    expect(stored).toContainEqual(expect.objectContaining({ role: 'tool', content: 'recorded ws-approved' }));
    // The tool's result reached the agent's subscribers as a message.created event.
    const event = await client.next(
      (frame) =>
        frame.type === 'agent.event' &&
        frame.event.type === 'message.created' &&
        frame.event.message.role === 'tool' &&
        frame.event.message.content === 'recorded ws-approved',
    );
    expect(event).toMatchObject({ agent_id: agentId, event: { message: { name: 'notes__record' } } });
  });

  it('refuse: the tool never runs, the agent reads that the user declined, and answers', async () => {
    const agentId = await harness.rest.createAgent({ name: 'refuser' });
    await harness.rest.request('PUT', `/v1/agents/${agentId}/tools`, { tools: [{ server: 'notes', tool: 'record' }] });
    received.length = 0;
    const history = await askApproval(agentId, 'call_no', 'ws-refused');
    client.create('no', {
      model: 'mock-model',
      user: agentId,
      stream: true,
      messages: [
        ...history,
        { role: 'tool', tool_call_id: 'call_no', content: '{"approve": false, "reason": "too risky"}' },
      ],
    });
    const refused = await client.outcome('no');
    expect(refused.terminal.type).toBe('chat.completion.done');
    expect(received).toEqual([]);
    const seen = harness.upstream.requests.at(-1)?.body.messages.findLast((message) => message.role === 'tool');
    const result = JSON.parse(String(seen?.content)) as { status: string; message: string };
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/declined.*too risky/);
  });
});
