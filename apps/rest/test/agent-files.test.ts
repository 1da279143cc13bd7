import { agentFileFixtures, readAgentFileFixture, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface ImportBody {
  agent_ids: string[];
  warnings: string[];
  dry_run: boolean;
}

interface AgentFile {
  agents: { id: string; name: string; block_ids: string[]; in_context_message_ids: string[]; messages: unknown[] }[];
  blocks: { id: string; label: string; value: string }[];
  metadata: Record<string, unknown>;
}

/** The Letta document of a fixture (two of them are a JSON string holding it). */
function fixtureDocument(name: string): AgentFile {
  const parsed: unknown = JSON.parse(readAgentFileFixture(name));
  return (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as AgentFile;
}

/** Memory (label → value), history (role and text) and window size of an agent, as the API shows them. */
async function agentState(call: ReturnType<typeof api>, agentId: string) {
  const memory = (await call('GET', `/v1/agents/${agentId}/memory`)).body['blocks'] as {
    label: string;
    value: string;
    limit: number;
  }[];
  const messages = (await call('GET', `/v1/agents/${agentId}/messages?limit=1000`)).body.data as {
    role: string;
    content: unknown;
    tool_calls?: { function: { name: string; arguments: string } }[];
  }[];
  const context = (await call('GET', `/v1/agents/${agentId}/context`)).body;
  return {
    memory: memory.map((block) => [block.label, block.value, block.limit]),
    messages: messages.map((message) => [
      message.role,
      message.content,
      message.tool_calls?.map((call) => call.function) ?? null,
    ]),
    window: context['messages_in_context'],
  };
}

describe('Letta Agent Files (.af): import and export', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;

  beforeAll(async () => {
    harness = await startRestHarness({ maxImportBytes: 256 * 1024 });
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.upstream.reset());

  const importText = async (text: string, query = '') => {
    const answer = await call('POST', `/v1/agents/import${query}`, text);
    return answer;
  };
  const agentCount = async () => ((await call('GET', '/v1/agents')).body.data ?? []).length;

  for (const { name } of agentFileFixtures()) {
    it(`imports ${name}, and exporting and importing it again gives the same blocks, messages and window`, async () => {
      const document = fixtureDocument(name);
      const imported = await importText(readAgentFileFixture(name));
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      const { agent_ids: ids, warnings } = imported.body as unknown as ImportBody;
      expect(ids).toHaveLength(document.agents.length);
      // The model the file names is not the upstream's: a warning, and the default model.
      expect(warnings.join('\n')).toMatch(/model/);

      const [agentId] = ids;
      const agent = (await call('GET', `/v1/agents/${agentId}`)).body;
      expect(agent['name']).toBe(document.agents[0]!.name);
      const labels = document.agents[0]!.block_ids.map((id) => document.blocks.find((block) => block.id === id)!);
      const first = await agentState(call, agentId!);
      expect(first.memory.map(([label]) => label)).toEqual(labels.map((block) => block.label));
      expect(first.memory.map(([, value]) => value)).toEqual(labels.map((block) => block.value));

      const exported = await call('GET', `/v1/agents/${agentId}/export`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toContain('.af');
      const file = exported.body as unknown as AgentFile;
      for (const key of ['agents', 'blocks', 'tools', 'mcp_servers', 'files', 'sources', 'groups', 'metadata']) {
        expect(file, key).toHaveProperty(key);
      }
      const again = await importText(JSON.stringify(file));
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      const [copy] = (again.body as unknown as ImportBody).agent_ids;
      expect(await agentState(call, copy!)).toEqual(first);
    });
  }

  it('imports one agent that answers its next turn with its memory in the prompt', async () => {
    const imported = await importText(readAgentFileFixture('memgpt_agent.af'));
    const [agentId] = (imported.body as unknown as ImportBody).agent_ids;
    const persona = fixtureDocument('memgpt_agent.af').blocks.find((block) => block.label === 'persona')!.value;
    harness.upstream.script(sendMessage('Hello, I remember.'));
    const turn = await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Who are you?' }],
    });
    expect(turn.status).toBe(200);
    const system = harness.upstream.requests[0]!.body.messages[0]!;
    expect(String(system.content)).toContain(persona.slice(0, 80));
  });

  it('takes a multipart upload, and a dry run stores nothing', async () => {
    const before = await agentCount();
    const dry = await importText(readAgentFileFixture('loop.af'), '?dry_run=true');
    expect(dry.status).toBe(200);
    expect((dry.body as unknown as ImportBody).dry_run).toBe(true);
    expect(await agentCount()).toBe(before);

    const form = new FormData();
    form.append('file', new Blob([readAgentFileFixture('loop.af')]), 'loop.af');
    const response = await fetch(`${harness.baseUrl}/v1/agents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}` },
      body: form,
    });
    expect(response.status).toBe(201);
    expect(await agentCount()).toBe(before + 1);
  });

  it('refuses malformed files with 422 or 413 naming the problem, and imports nothing', async () => {
    const before = await agentCount();
    const valid = fixtureDocument('customer_service.af');
    const dangling = structuredClone(valid);
    dangling.agents[0]!.block_ids.push('block-missing');
    const refused: [string, number, RegExp][] = [
      ['{ not json', 422, /not valid JSON/],
      [JSON.stringify({ blocks: [] }), 422, /agents/],
      [JSON.stringify(dangling), 422, /block-missing/],
      [JSON.stringify({ ...valid, padding: 'x'.repeat(300 * 1024) }), 413, /larger than/],
    ];
    for (const [text, status, message] of refused) {
      const answer = await importText(text);
      expect(answer.status, text.slice(0, 40)).toBe(status);
      expect(JSON.stringify(answer.body)).toMatch(message);
    }
    expect(await agentCount()).toBe(before);
    // Without a key nothing is read.
    const anonymous = await api(harness.baseUrl, null)('POST', '/v1/agents/import', JSON.stringify(valid));
    expect(anonymous.status).toBe(401);
  });

  it('exports only the caller’s agents, and the messages asked for', async () => {
    const agentId = (await call('POST', '/v1/agents', { name: 'exported' })).body['id'] as string;
    for (const text of ['One', 'Two']) {
      harness.upstream.script(sendMessage(`Reply to ${text}`));
      await call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content: text }],
      });
    }
    expect((await other('GET', `/v1/agents/${agentId}/export`)).status).toBe(404);
    const all = (await call('GET', `/v1/agents/${agentId}/export`)).body as unknown as AgentFile;
    const none = (await call('GET', `/v1/agents/${agentId}/export?messages=none`)).body as unknown as AgentFile;
    expect(all.agents[0]!.messages.length).toBeGreaterThan(4);
    // Only the system message Letta keeps first in the window.
    expect(none.agents[0]!.messages.map((message) => (message as { role: string }).role)).toEqual(['system']);
    expect((await call('GET', `/v1/agents/${agentId}/export?messages=some`)).status).toBe(422);
  });
});
