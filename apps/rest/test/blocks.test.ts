import { type RecordedRequest, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface BlockBody {
  id: string;
  object: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  read_only: boolean;
  version: number;
  agent_ids: string[];
}

interface AgentBody {
  id: string;
  name: string;
  model: string;
  system: string;
  context_window: number;
  tags: string[];
  metadata: Record<string, string> | null;
  memory: { blocks: { id: string; label: string; value: string; limit: number; read_only: boolean }[] };
}

/** The system prompt of an upstream request. */
function systemPrompt(request: RecordedRequest | undefined): string {
  const system = request?.body.messages[0];
  return typeof system?.content === 'string' ? system.content : '';
}

describe('custom and shared memory blocks, block history, editable agents', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.upstream.reset());

  const createAgent = async (body: Record<string, unknown>) => {
    const answer = await call('POST', '/v1/agents', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as unknown as AgentBody;
  };
  const createBlock = async (body: Record<string, unknown>) => {
    const answer = await call('POST', '/v1/blocks', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as unknown as BlockBody;
  };
  const chat = (agentId: string, content: string) =>
    call('POST', '/v1/chat/completions', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] });
  const blockOf = async (id: string) => (await call('GET', `/v1/blocks/${id}`)).body as unknown as BlockBody;

  it('creates an agent with custom blocks, renders their descriptions and lets the tools edit any label', async () => {
    const agent = await createAgent({
      name: 'planner',
      memory_blocks: [
        { label: 'goals', value: 'Ship v2.', limit: 200, description: 'The goals the team agreed on.' },
        { label: 'policy', value: 'Never share keys.', read_only: true },
      ],
      tags: ['team-a'],
      metadata: { owner: 'ada' },
    });
    expect(agent.memory.blocks.map((block) => [block.label, block.value, block.limit, block.read_only])).toEqual([
      ['goals', 'Ship v2.', 200, false],
      ['policy', 'Never share keys.', 5000, true],
    ]);
    expect(agent.memory.blocks[0]?.id).toMatch(/^block-/);
    expect(agent).toMatchObject({ tags: ['team-a'], metadata: { owner: 'ada' } });

    harness.upstream.script(
      {
        toolCalls: [
          {
            name: 'core_memory_append',
            arguments: { label: 'goals', content: 'Then v3.', request_heartbeat: true },
          },
          {
            name: 'core_memory_replace',
            arguments: { label: 'policy', old_content: 'Never', new_content: 'Always', request_heartbeat: true },
          },
        ],
      },
      sendMessage('Noted.'),
    );
    expect((await chat(agent.id, 'Plan ahead.')).status).toBe(200);
    const prompt = systemPrompt(harness.upstream.requests[0]);
    expect(prompt).toContain('<description>The goals the team agreed on.</description>');
    expect(prompt).toContain('(policy: 17/5000 characters used, read-only)');
    // The read-only block was refused with a result the agent read on its next step.
    const results = harness.upstream.requests[1]!.body.messages.filter((message) => message.role === 'tool');
    expect(JSON.stringify(results)).toContain('read-only');
    const memory = (await call('GET', `/v1/agents/${agent.id}/memory`)).body['blocks'] as BlockBody[];
    expect(memory.map((block) => block.value)).toEqual(['Ship v2.\nThen v3.', 'Never share keys.']);

    // The agent's write is in the block's history, naming the agent and the message of its step.
    const history = (await call('GET', `/v1/blocks/${memory[0]!.id}/history`)).body.data as {
      version: number;
      actor: string;
      agent_id: string | null;
      message_id: string | null;
    }[];
    expect(history.map((entry) => [entry.version, entry.actor])).toEqual([
      [2, 'agent'],
      [1, 'user'],
    ]);
    expect(history[0]?.agent_id).toBe(agent.id);
    const messages = (await call('GET', `/v1/agents/${agent.id}/messages`)).body.data as { id: string }[];
    expect(messages.map((message) => message.id)).toContain(history[0]?.message_id);
  });

  it('refuses bad blocks with 422 and creates nothing', async () => {
    const before = ((await call('GET', '/v1/agents')).body.data ?? []).length;
    const refused: [Record<string, unknown>, string][] = [
      [{ memory_blocks: [{ label: 'Bad Label' }] }, 'a-z, 0-9'],
      [{ memory_blocks: [{ label: 'x'.repeat(65) }] }, 'a-z, 0-9'],
      [{ memory_blocks: [{ label: 'notes', value: 'too long', limit: 3 }] }, "over the block's limit"],
      [{ memory_blocks: [{ label: 'notes' }, { label: 'notes' }] }, 'given twice'],
      [{ memory_blocks: [{ label: 'notes' }], persona: 'x' }, 'either memory_blocks or persona'],
    ];
    for (const [body, fragment] of refused) {
      const answer = await call('POST', '/v1/agents', body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(answer.body)).toContain(fragment);
    }
    const theirs = (await other('POST', '/v1/blocks', { label: 'secret', value: 'theirs' }))
      .body as unknown as BlockBody;
    expect((await call('POST', '/v1/agents', { block_ids: [theirs.id] })).status).toBe(404);
    const mine = await createBlock({ label: 'persona', value: 'shared persona' });
    const collision = await call('POST', '/v1/agents', { block_ids: [mine.id] });
    expect(collision.status).toBe(422);
    expect(JSON.stringify(collision.body)).toContain('persona');
    expect(((await call('GET', '/v1/agents')).body.data ?? []).length).toBe(before);
  });

  it('shares a block: an edit by one agent is what the other sees on its next step, with events for both', async () => {
    const shared = await createBlock({ label: 'team', value: 'Team notes.', description: 'Shared by the team.' });
    const first = await createAgent({ name: 'first', block_ids: [shared.id] });
    const second = await createAgent({ name: 'second', block_ids: [shared.id] });
    expect((await blockOf(shared.id)).agent_ids).toEqual([first.id, second.id]);

    harness.upstream.script(
      {
        toolCalls: [
          {
            name: 'core_memory_append',
            arguments: { label: 'team', content: 'Launch is Friday.', request_heartbeat: true },
          },
        ],
      },
      sendMessage('Shared.'),
      sendMessage('I know.'),
    );
    expect((await chat(first.id, 'Tell the team.')).status).toBe(200);
    expect((await chat(second.id, 'When is launch?')).status).toBe(200);
    expect(systemPrompt(harness.upstream.requests[2])).toContain('Launch is Friday.');
    const block = await blockOf(shared.id);
    expect(block.value).toBe('Team notes.\nLaunch is Friday.');
    expect(block.version).toBe(2);

    // Edited through the API: both agents see it, and it is recorded as the user's.
    const patched = await call('PATCH', `/v1/blocks/${shared.id}`, { value: 'Launch moved to Monday.', version: 2 });
    expect(patched.status).toBe(200);
    const stale = await call('PATCH', `/v1/blocks/${shared.id}`, { value: 'Lost edit', version: 2 });
    expect(stale.status).toBe(409);
    harness.upstream.script(sendMessage('Monday then.'));
    expect((await chat(first.id, 'And now?')).status).toBe(200);
    expect(systemPrompt(harness.upstream.requests.at(-1))).toContain('Launch moved to Monday.');
    const history = (await call('GET', `/v1/blocks/${shared.id}/history?limit=2`)).body.data as { actor: string }[];
    expect(history.map((entry) => entry.actor)).toEqual(['user', 'agent']);
  });

  it('attaches, detaches and deletes blocks; an attached block needs force', async () => {
    const agent = await createAgent({ name: 'attach' });
    const block = await createBlock({ label: 'notes', value: 'n' });
    const attached = await call('PUT', `/v1/agents/${agent.id}/blocks/${block.id}`);
    expect(attached.status).toBe(200);
    expect((attached.body as unknown as AgentBody).memory.blocks.map((entry) => entry.label)).toEqual([
      'persona',
      'human',
      'notes',
    ]);
    expect((await call('PUT', `/v1/agents/${agent.id}/blocks/${block.id}`)).status).toBe(200);
    const clash = await createBlock({ label: 'notes', value: 'other' });
    expect((await call('PUT', `/v1/agents/${agent.id}/blocks/${clash.id}`)).status).toBe(422);
    const theirs = (await other('POST', '/v1/blocks', { label: 'x' })).body as unknown as BlockBody;
    expect((await call('PUT', `/v1/agents/${agent.id}/blocks/${theirs.id}`)).status).toBe(404);
    expect((await other('GET', `/v1/blocks/${block.id}`)).status).toBe(404);

    const refused = await call('DELETE', `/v1/blocks/${block.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('force=true');
    expect((await call('DELETE', `/v1/agents/${agent.id}/blocks/${block.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/agents/${agent.id}/blocks/${block.id}`)).status).toBe(404);
    expect((await call('PUT', `/v1/agents/${agent.id}/blocks/${block.id}`)).status).toBe(200);
    expect((await call('DELETE', `/v1/blocks/${block.id}?force=true`)).status).toBe(204);
    expect((await call('GET', `/v1/blocks/${block.id}`)).status).toBe(404);
    const memory = (await call('GET', `/v1/agents/${agent.id}/memory`)).body['blocks'] as BlockBody[];
    expect(memory.map((entry) => entry.label)).toEqual(['persona', 'human']);
  });

  it('lists blocks by label and pages them', async () => {
    const label = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await createBlock({ label, value: `${index}` })).id);
    const all = (await call('GET', `/v1/blocks?label=${label}`)).body.data as BlockBody[];
    expect(all.map((block) => block.id)).toEqual(ids);
    const page = (await call('GET', `/v1/blocks?label=${label}&limit=1&before=${ids[2]}`)).body.data as BlockBody[];
    expect(page.map((block) => block.id)).toEqual([ids[1]]);
    expect((await call('GET', '/v1/blocks?limit=0')).status).toBe(422);
  });

  it('summarises at once when PATCH makes the context window too small for a conversation', async () => {
    const agent = await createAgent({ name: 'shrinking', context_window: 32_000 });
    const long = (index: number) => `Message ${index}: ${'words to remember '.repeat(60)}`;
    for (let index = 0; index < 4; index++) {
      harness.upstream.script(sendMessage(`Reply ${index}.`));
      expect((await chat(agent.id, long(index))).status).toBe(200);
    }
    const calls = harness.upstream.requests.length;
    const summary = { content: 'The user sent four long messages about words.' };
    harness.upstream.script(summary, summary, summary);
    const patched = await call('PATCH', `/v1/agents/${agent.id}`, { context_window: 1024 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    // Only summaries were asked for (the evicted messages may take more than one call at this size).
    const asked = harness.upstream.requests.slice(calls);
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked) expect(systemPrompt(request)).toContain('running summary');
    const context = (await call('GET', `/v1/agents/${agent.id}/context`)).body;
    expect(context['summary']).toContain('four long messages');
    expect(context['summarised_messages']).toBeGreaterThan(0);

    // A failing upstream leaves the agent as it was.
    const other = await createAgent({ name: 'kept', context_window: 32_000 });
    for (let index = 0; index < 4; index++) {
      harness.upstream.script(sendMessage(`Reply ${index}.`));
      expect((await chat(other.id, long(index))).status).toBe(200);
    }
    harness.upstream.script({ error: { status: 500 } }, { error: { status: 500 } }, { error: { status: 500 } });
    const failed = await call('PATCH', `/v1/agents/${other.id}`, { context_window: 1024 });
    expect(failed.status).toBe(502);
    expect((await call('GET', `/v1/agents/${other.id}`)).body['context_window']).toBe(32_000);
  });

  it('edits an agent with PATCH and refuses bad fields', async () => {
    const agent = await createAgent({ name: 'before' });
    const patched = await call('PATCH', `/v1/agents/${agent.id}`, {
      name: 'after',
      model: 'mock-model',
      system: 'You are terse.',
      context_window: 4096,
      tags: ['a', 'b'],
      metadata: { team: 'x' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'after',
      system: 'You are terse.',
      context_window: 4096,
      tags: ['a', 'b'],
      metadata: { team: 'x' },
    });
    harness.upstream.script(sendMessage('Terse.'));
    expect((await chat(agent.id, 'Hi')).status).toBe(200);
    expect(systemPrompt(harness.upstream.requests[0])).toContain('You are terse.');
    expect((await call('PATCH', `/v1/agents/${agent.id}`, { metadata: null })).body['metadata']).toBeNull();
    expect((await call('PATCH', `/v1/agents/${agent.id}`, { context_window: 5 })).status).toBe(422);
    expect((await call('PATCH', `/v1/agents/${agent.id}`, { colour: 'red' })).status).toBe(422);
    expect((await call('PATCH', `/v1/agents/${agent.id}`, { tags: ['a', 'a'] })).status).toBe(422);
    expect((await other('PATCH', `/v1/agents/${agent.id}`, { name: 'theirs' })).status).toBe(404);
    expect((await call('GET', `/v1/agents/${agent.id}`)).body['name']).toBe('after');
  });

  it('keeps model roles and per-turn limits through create, PATCH, GET and export; refuses absurd ones', async () => {
    const defaults = await createAgent({ name: 'plain' });
    expect(defaults).toMatchObject({
      summary_model: null,
      embedding_model: null,
      fallback_models: [],
      max_steps_per_turn: null,
      max_tokens_per_turn: null,
    });
    const created = await call('POST', '/v1/agents', {
      name: 'roles',
      summary_model: 'cheap-model',
      fallback_models: ['mock-model', 'backup-b'],
      max_steps_per_turn: 4,
    });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    const patched = await call('PATCH', `/v1/agents/${id}`, { max_tokens_per_turn: 50_000, summary_model: null });
    expect(patched.body).toMatchObject({
      summary_model: null,
      fallback_models: ['mock-model', 'backup-b'],
      max_steps_per_turn: 4,
      max_tokens_per_turn: 50_000,
    });
    expect((await call('GET', `/v1/agents/${id}`)).body).toEqual(patched.body);
    const exported = await call('GET', `/v1/agents/${id}/export`);
    const imported = await call('POST', '/v1/agents/import', exported.body);
    const [copyId] = imported.body['agent_ids'] as string[];
    // A model the upstream does not offer is left out of the copy, with a warning.
    expect((imported.body['warnings'] as string[]).join()).toContain('fallback model "backup-b"');
    expect((await call('GET', `/v1/agents/${copyId}`)).body).toMatchObject({
      fallback_models: ['mock-model'],
      max_steps_per_turn: 4,
      max_tokens_per_turn: 50_000,
    });
    for (const bad of [
      { max_steps_per_turn: 0 },
      { max_steps_per_turn: 1000 },
      { max_tokens_per_turn: -5 },
      { fallback_models: ['a', 'a'] },
      { fallback_models: Array.from({ length: 9 }, (_, index) => `m${index}`) },
      { summary_model: '' },
    ]) {
      const refused = await call('PATCH', `/v1/agents/${id}`, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(422);
      expect((await call('POST', '/v1/agents', bad)).status, JSON.stringify(bad)).toBe(422);
    }
    expect((await call('GET', `/v1/agents/${id}`)).body).toEqual(patched.body);
  });
});
