import { type ChatRequestMessage, echoResponder, type ScriptedResponse, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface ToolResult {
  status: string;
  message: string;
  results?: { timestamp: string; role?: string; content: string }[];
}

/** An assistant turn that calls one agent tool and asks to continue. */
function callTool(name: string, args: Record<string, unknown>): ScriptedResponse {
  return { toolCalls: [{ name, arguments: { ...args, request_heartbeat: true } }] };
}

describe('memory tools, through the agent loop and the mock upstream', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(echoResponder);
    agentId = (await call('POST', '/v1/agents', { context_window: 4000 })).body['id'] as string;
  });

  const chat = (content: string) =>
    call('POST', '/v1/chat/completions', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] });

  /** Runs a turn in which the agent calls `name` once, and returns the result it read back. */
  async function runTool(name: string, args: Record<string, unknown>): Promise<{ raw: string; result: ToolResult }> {
    harness.upstream.script(callTool(name, args), sendMessage('Done.'));
    const turn = await chat(`please use ${name}`);
    expect(turn.status).toBe(200);
    // The last tool message: a memory-pressure alert may follow it when the call itself was huge.
    const seen = harness.upstream.requests
      .at(-1)
      ?.body.messages.findLast((message) => message.role === 'tool') as ChatRequestMessage;
    expect(seen.name ?? seen.role).toBe('tool');
    const raw = String(seen.content);
    return { raw, result: JSON.parse(raw) as ToolResult };
  }

  const passages = async () =>
    ((await call('GET', `/v1/agents/${agentId}/archival`)).body.data as { content: string }[]).map((p) => p.content);

  it('archival_memory_insert stores a passage with the step, and refuses empty or oversized content', async () => {
    const { result } = await runTool('archival_memory_insert', { content: 'The user runs marathons.' });
    expect(result.status).toBe('OK');
    expect(result.message).toMatch(/^Inserted into archival memory as passage-/);
    expect(await passages()).toEqual(['The user runs marathons.']);

    expect((await runTool('archival_memory_insert', { content: '  ' })).result).toMatchObject({ status: 'Failed' });
    const oversized = await runTool('archival_memory_insert', { content: 'x'.repeat(20_001) });
    expect(oversized.result.status).toBe('Failed');
    expect(oversized.result.message).toMatch(/split it into several passages/);
    expect(await passages()).toEqual(['The user runs marathons.']);
  });

  it('archival_memory_search returns a paged, headed result list', async () => {
    for (let index = 1; index <= 7; index++) {
      await call('POST', `/v1/agents/${agentId}/archival`, { content: `Recipe ${index}: lentil soup variation` });
    }
    await call('POST', `/v1/agents/${agentId}/archival`, { content: 'Unrelated: bicycle repair' });

    const first = await runTool('archival_memory_search', { query: 'lentil soup' });
    expect(first.result.message).toBe('Showing 5 of 7 results (page 1/2)');
    expect(first.result.results).toHaveLength(5);
    expect(first.result.results?.[0]?.content).toMatch(/^Recipe \d: lentil soup variation$/);

    const second = await runTool('archival_memory_search', { query: 'lentil soup', page: 2 });
    expect(second.result.message).toBe('Showing 2 of 7 results (page 2/2)');
    const contents = [...(first.result.results ?? []), ...(second.result.results ?? [])].map((r) => r.content);
    expect(new Set(contents).size).toBe(7);

    expect((await runTool('archival_memory_search', { query: 'lentil', page: 9 })).result.message).toBe(
      'Showing 0 of 7 results (page 9/2): past the last page.',
    );
    expect((await runTool('archival_memory_search', { query: 'zebra' })).result.message).toBe(
      'No results found for "zebra".',
    );
    expect((await runTool('archival_memory_search', { query: '' })).result.status).toBe('Failed');
    expect((await runTool('archival_memory_search', { query: 'soup', page: 'two' })).result.status).toBe('Failed');
  });

  it('conversation_search finds what the user said and what the agent sent, not tool results', async () => {
    harness.upstream.script(sendMessage('Bergamot is a citrus fruit used in Earl Grey.'));
    await chat('What is bergamot?');
    await chat('Tell me about something else entirely');

    const { result } = await runTool('conversation_search', { query: 'bergamot' });
    expect(result.message).toBe('Showing 2 of 2 results (page 1/1)');
    expect(result.results?.map((hit) => [hit.role, hit.content]).sort()).toEqual([
      ['assistant', 'Bergamot is a citrus fruit used in Earl Grey.'],
      ['user', 'What is bergamot?'],
    ]);
    expect((await runTool('conversation_search', { query: '"status" OK' })).result.message).toBe(
      'No results found for ""status" OK".',
    );
  });

  it('enforces core memory block limits in the tools (block unchanged) and in PUT (422)', async () => {
    const appended = await runTool('core_memory_append', { label: 'human', content: 'y'.repeat(5001) });
    expect(appended.result.status).toBe('Failed');
    expect(appended.result.message).toMatch(/over its limit of 5000/);
    const memory = (await call('GET', `/v1/agents/${agentId}/memory`)).body['blocks'] as {
      label: string;
      value: string;
    }[];
    expect(memory.find((block) => block.label === 'human')?.value).toBe('');

    const put = await call('PUT', `/v1/agents/${agentId}/memory/human`, { value: 'z'.repeat(5001) });
    expect(put.status).toBe(422);
    expect(put.body['detail']).toEqual([expect.objectContaining({ loc: ['body', 'value'] })]);
  });

  it('clips long search results to fit the agent window, and truncates an oversized client tool result', async () => {
    for (let index = 0; index < 5; index++) {
      await call('POST', `/v1/agents/${agentId}/archival`, {
        content: `${'Long harbour chronicle. '.repeat(200)}${index}`,
      });
    }
    const { raw, result } = await runTool('archival_memory_search', { query: 'harbour chronicle' });
    // A 4,000-token window allows results of 2,000 characters; every entry was clipped to fit.
    expect(raw.length).toBeLessThanOrEqual(2000);
    expect(result.results).toHaveLength(5);
    for (const hit of result.results ?? []) expect(hit.content).toMatch(/… \[\d+ more characters\]$/);

    harness.upstream.script({
      toolCalls: [{ name: 'fetch_page', arguments: { url: 'https://example.com' }, id: 'call_big' }],
    });
    const tools = [{ type: 'function', function: { name: 'fetch_page', parameters: { type: 'object' } } }];
    const asked = await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      tools,
      messages: [{ role: 'user', content: 'fetch it' }],
    });
    expect(asked.body['choices']).toMatchObject([{ finish_reason: 'tool_calls' }]);
    await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      tools,
      messages: [
        { role: 'user', content: 'fetch it' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_big', type: 'function', function: { name: 'fetch_page', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_big', content: 'p'.repeat(50_000) },
      ],
    });
    const seen = harness.upstream.requests.at(-1)?.body.messages.findLast((message) => message.role === 'tool');
    expect(String(seen?.content)).toMatch(
      /^p{2000}\n\[Result truncated: 50000 characters, only the first 2000 are shown\./,
    );
  });
});
