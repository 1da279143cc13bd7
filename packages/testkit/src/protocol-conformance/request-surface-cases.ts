import { expect, it } from 'vitest';
import { sendMessage } from '../mock-upstream/index.ts';
import type { ConformanceTarget, ProtocolClient } from './protocol-client.ts';
import type { RestSetup } from './rest-setup.ts';

/** What the cases need from the suite's per-test state. */
export interface SurfaceContext {
  target: ConformanceTarget;
  client: ProtocolClient;
  rest: RestSetup;
  agentId: string;
}

const user = (content: string) => ({ role: 'user', content });
const usage = (prompt: number, completion: number, cached?: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  ...(cached !== undefined && { prompt_tokens_details: { cached_tokens: cached } }),
});
const rememberTea = {
  toolCalls: [
    { name: 'core_memory_append', arguments: { label: 'human', content: 'Likes tea', request_heartbeat: true } },
  ],
};

/**
 * Conformance cases of the request fields beyond the seed's: `store: false`, `metadata`, the
 * forwarded parameters and cached-token usage. Registered inside the protocol suite's describe.
 */
export function requestSurfaceCases(state: () => SurfaceContext): void {
  it('runs an ephemeral turn (store: false) that sees memory and history and writes nothing', async () => {
    const { target, client, rest, agentId } = state();
    target.upstream.script(sendMessage('Hello Ada.'));
    const first = await client.complete({ model: 'mock-model', user: agentId, messages: [user('I am Ada')] });
    if (!first.ok) throw new Error(first.error.message);
    const history = JSON.stringify(await rest.messages(agentId));
    const memory = JSON.stringify(await rest.memory(agentId));

    target.upstream.script(rememberTea, sendMessage('Tea with Ada'));
    const title = await client.complete({
      model: 'mock-model',
      user: agentId,
      store: false,
      messages: [user('Write a title for this chat')],
    });
    if (!title.ok) throw new Error(title.error.message);
    expect(title.completion.choices[0]?.message.content).toBe('Tea with Ada');
    expect(JSON.stringify(await rest.messages(agentId))).toBe(history);
    expect(JSON.stringify(await rest.memory(agentId))).toBe(memory);

    const [firstCall, secondCall] = target.upstream.requests.slice(-2);
    const sent = JSON.stringify(firstCall?.body.messages);
    expect(sent).toContain('I am Ada');
    expect(sent).toContain('Write a title for this chat');
    const toolResult = secondCall?.body.messages.at(-1);
    expect(toolResult?.role).toBe('tool');
    expect(String(toolResult?.content)).toContain('Memory is read-only in this turn');
  });

  it('keeps metadata with the messages of its turn', async () => {
    const { target, client, rest, agentId } = state();
    target.upstream.script(sendMessage('Noted.'));
    const metadata = { conversation: 'c-42', source: 'conformance' };
    const outcome = await client.complete({ model: 'mock-model', user: agentId, metadata, messages: [user('Hi')] });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const messages = (await rest.messages(agentId)) as { role: string; metadata?: unknown }[];
    expect(messages.map((message) => [message.role, message.metadata])).toEqual([
      ['user', metadata],
      ['assistant', metadata],
      ['tool', metadata],
    ]);
  });

  it('refuses metadata over its limits with 422 and stores nothing', async () => {
    const { client, rest, agentId } = state();
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`key${index}`, 'value']));
    const outcome = await client.complete({ model: 'mock-model', user: agentId, metadata, messages: [user('Hi')] });
    expect(outcome.ok ? 200 : outcome.error.status).toBe(422);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/at most 16/);
    expect(await rest.messages(agentId)).toEqual([]);
  });

  it('forwards reasoning, tier and caching parameters on every upstream call, the cache key defaulting to the agent', async () => {
    const { target, client, agentId } = state();
    target.upstream.script(rememberTea, sendMessage('Noted: tea.'));
    const outcome = await client.complete({
      model: 'mock-model',
      user: agentId,
      reasoning_effort: 'low',
      verbosity: 'low',
      service_tier: 'flex',
      safety_identifier: 'user-hash-1',
      modalities: ['text'],
      messages: [user('I like tea')],
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const calls = target.upstream.requests.slice(-2);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.body).toMatchObject({
        reasoning_effort: 'low',
        verbosity: 'low',
        service_tier: 'flex',
        safety_identifier: 'user-hash-1',
        prompt_cache_key: agentId,
      });
    }
    // The prompt's stable prefix: the same tools on every call, then the system prompt with memory.
    expect(calls[0]?.body.tools).toEqual(calls[1]?.body.tools);
    expect(calls[0]?.body.messages[0]?.role).toBe('system');

    target.upstream.script(sendMessage('Again.'));
    const keyed = await client.complete({
      model: 'mock-model',
      user: agentId,
      prompt_cache_key: 'my-cache-key',
      messages: [user('Hello again')],
    });
    if (!keyed.ok) throw new Error(keyed.error.message);
    expect(target.upstream.requests.at(-1)?.body.prompt_cache_key).toBe('my-cache-key');
  });

  it('reports the cached prompt tokens the upstream reported, summed over the turn', async () => {
    const { target, client, agentId } = state();
    target.upstream.script(
      { ...rememberTea, usage: usage(1200, 10, 1024) },
      sendMessage('Noted.', { usage: usage(1300, 5, 1152) }),
    );
    const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('I like tea')] });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.completion.usage).toEqual(usage(2500, 15, 2176));
  });

  it("records each upstream call of the turn in the caller's usage, summing to the usage it reports", async () => {
    const { target, client, agentId } = state();
    const agentUsage = async () => {
      const response = await fetch(`${target.baseUrl}/v1/usage?group_by=agent`, {
        headers: { authorization: `Bearer ${target.apiKey}` },
      });
      expect(response.status).toBe(200);
      const report = (await response.json()) as { data: AgentUsage[] };
      return report.data.find((group) => group.key === agentId) ?? NO_USAGE;
    };
    const before = await agentUsage();
    target.upstream.script(
      { ...rememberTea, usage: usage(900, 10, 512) },
      sendMessage('Noted.', { usage: usage(950, 5) }),
    );
    const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('I like tea')] });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const after = await agentUsage();
    expect({
      calls: after.calls - before.calls,
      prompt_tokens: after.prompt_tokens - before.prompt_tokens,
      completion_tokens: after.completion_tokens - before.completion_tokens,
      cached_tokens: after.cached_tokens - before.cached_tokens,
    }).toEqual({
      calls: 2,
      prompt_tokens: outcome.completion.usage?.prompt_tokens,
      completion_tokens: outcome.completion.usage?.completion_tokens,
      cached_tokens: outcome.completion.usage?.prompt_tokens_details?.cached_tokens,
    });
  });
}

/** The sums `GET /v1/usage` answers for one agent. */
interface AgentUsage {
  key: string | null;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
}

const NO_USAGE: AgentUsage = { key: null, calls: 0, prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 };
