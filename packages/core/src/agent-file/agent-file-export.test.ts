import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Agent, Conversation, NewPassage, StoredMessage } from '../domain/types.ts';
import { type AgentFileExportInput, exportAgentFile } from './agent-file-export.ts';
import { type AgentImportOptions, type AgentImportPlan, planAgentImport } from './agent-file-import.ts';
import { parseAgentFile } from './agent-file-schema.ts';

const FIXTURES = new URL('../../../testkit/fixtures/', import.meta.url);
const files = [
  ...readdirSync(new URL('agent-files/', FIXTURES))
    .filter((name) => name.endsWith('.af'))
    .map((name) => `agent-files/${name}`),
  'agent-file-cases/shared_blocks_convo.af',
];
const read = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8');

const options: AgentImportOptions = {
  userId: 'user-1',
  now: new Date('2026-12-02T12:00:00.000Z'),
  defaultModel: 'gpt-4o-mini',
  models: null,
  embeddingModel: 'text-embedding-3-small',
};

/** What a store holds after `importAgents(plan.bundle)` for one agent: its blocks resolved, messages numbered. */
function stored(plan: AgentImportPlan, index: number): Omit<AgentFileExportInput, 'conversations'> {
  const entry = plan.bundle.agents[index]!;
  const shared = new Map(plan.bundle.blocks.map((block) => [block.id, block]));
  const { blockIds = [], ...fields } = entry.agent;
  const memory = [
    ...fields.memory,
    ...blockIds.map((id) => {
      const { userId: _owner, ...block } = shared.get(id)!;
      return block;
    }),
  ].map((block) => ({ ...block, version: 1, agentCount: 1 }));
  const agent: Agent = { ...fields, memory };
  const messages: StoredMessage[] = entry.messages.map((message, seq) => ({
    ...message,
    seq,
    conversationId: agent.id,
  }));
  return { agent, messages, windowStart: entry.windowStart, summary: entry.summary, passages: entry.passages };
}

const blocks = (agent: Agent) =>
  agent.memory.map(({ label, value, limit, description, readOnly }) => ({
    label,
    value,
    limit,
    description,
    readOnly,
  }));
const messages = (
  list: Pick<StoredMessage, 'role' | 'content' | 'toolCalls' | 'toolCallId' | 'name' | 'createdAt'>[],
) =>
  list.map(({ role, content, toolCalls, toolCallId, name, createdAt }) => ({
    role,
    content,
    toolCalls,
    toolCallId,
    name,
    createdAt,
  }));

/** Export one stored agent and import the file again. */
function roundTrip(input: AgentFileExportInput) {
  const text = JSON.stringify(exportAgentFile(input));
  const plan = planAgentImport(parseAgentFile(text), options);
  expect(plan.bundle.agents).toHaveLength(1);
  return { plan, again: stored(plan, 0), text };
}

describe('exportAgentFile then planAgentImport (round trip)', () => {
  for (const path of files) {
    it(`gives the same blocks, messages and window for ${path}`, () => {
      const first = planAgentImport(parseAgentFile(read(path)), options);
      first.bundle.agents.forEach((_, index) => {
        const before = stored(first, index);
        const { again } = roundTrip({ ...before, conversations: [] });
        expect(blocks(again.agent)).toEqual(blocks(before.agent));
        expect(messages(again.messages)).toEqual(messages(before.messages));
        expect(again.windowStart).toBe(before.windowStart);
        expect(again.messages.length - again.windowStart).toBe(before.messages.length - before.windowStart);
        const settings = ({ name, model, system, contextWindow, tags, metadata }: Agent) => ({
          name,
          model,
          system,
          contextWindow,
          tags,
          metadata,
        });
        expect(settings(again.agent)).toEqual(settings(before.agent));
      });
    });
  }

  it('carries the case file through with a real history: ten messages, window from the fourth', () => {
    const before = stored(planAgentImport(parseAgentFile(read(files.at(-1)!)), options), 0);
    expect(before.messages).toHaveLength(10);
    expect(before.windowStart).toBe(3);
    const { again } = roundTrip({ ...before, conversations: [] });
    expect(again.messages[1]!.toolCalls?.[0]?.function.name).toBe('core_memory_append');
    expect(again.windowStart).toBe(3);
  });
});

describe('exportAgentFile', () => {
  const base = () => stored(planAgentImport(parseAgentFile(read(files.at(-1)!)), options), 0);

  it("writes Letta's v2 shape: a memgpt_agent with its blocks, built-in tools as schemas and a system message first", () => {
    const input = base();
    const file = exportAgentFile({ ...input, conversations: [], now: new Date('2026-12-02T13:00:00Z') });
    expect(Object.keys(file).sort()).toEqual(
      ['agents', 'blocks', 'created_at', 'files', 'groups', 'mcp_servers', 'metadata', 'sources', 'tools'].sort(),
    );
    expect(file.created_at).toBe('2026-12-02T13:00:00.000Z');
    const agent = file.agents[0]!;
    expect(agent).toMatchObject({
      id: 'agent-0',
      agent_type: 'memgpt_agent',
      name: 'Ada helper',
      system: input.agent.system,
      llm_config: { model: 'gpt-4o-mini', model_endpoint_type: 'openai', context_window: 16000 },
      block_ids: ['block-0', 'block-1'],
    });
    expect(agent.embedding_config).toMatchObject({
      embedding_endpoint_type: 'openai',
      embedding_endpoint: null,
      embedding_model: 'text-embedding-3-small',
      embedding_dim: 1536,
    });
    const named = exportAgentFile({
      ...input,
      conversations: [],
      embedding: { model: 'nomic-embed-text', dimensions: 768 },
    });
    expect(named.agents[0]!.embedding_config).toMatchObject({
      embedding_model: 'nomic-embed-text',
      embedding_dim: 768,
    });
    expect(file.blocks.map((block) => [block.id, block.label, block.read_only])).toEqual([
      ['block-0', 'persona', true],
      ['block-1', 'human', false],
    ]);
    expect(file.tools.map((tool) => tool.name)).toEqual([
      'send_message',
      'core_memory_append',
      'core_memory_replace',
      'archival_memory_insert',
      'archival_memory_search',
      'conversation_search',
    ]);
    for (const tool of file.tools) {
      expect(tool.source_code).toBeNull();
      expect((tool.json_schema as { parameters: { type: string } }).parameters.type).toBe('object');
    }
    expect(agent.tool_ids).toEqual(file.tools.map((tool) => tool.id));
    const fileMessages = agent.messages as { id: string; role: string; content: { text: string }[] }[];
    expect(fileMessages[0]).toMatchObject({ id: 'message-0', role: 'system', content: [{ text: input.agent.system }] });
    expect(fileMessages).toHaveLength(11);
    expect(agent.in_context_message_ids).toEqual(['message-0', ...fileMessages.slice(4).map((message) => message.id)]);
    // Letta reads metadata as a string map: memgate's state is a JSON string in it.
    for (const value of Object.values(file.metadata)) expect(typeof value).toBe('string');
  });

  it('messages=window writes only the window, messages=none only the system message', () => {
    const input = base();
    const window = roundTrip({ ...input, conversations: [], include: 'window' }).again;
    expect(messages(window.messages)).toEqual(messages(input.messages.slice(3)));
    expect(window.windowStart).toBe(0);
    const none = exportAgentFile({ ...input, conversations: [], include: 'none' });
    expect(none.agents[0]!.messages).toHaveLength(1);
    expect(none.agents[0]!.in_context_message_ids).toEqual(['message-0']);
    expect(roundTrip({ ...input, conversations: [], include: 'none' }).again.messages).toEqual([]);
  });

  it('leaves hidden (rewound) messages out of the file and of the window', () => {
    const input = base();
    const hidden = input.messages.map((message, index) => (index === 5 ? { ...message, hidden: true } : message));
    const again = roundTrip({ ...input, messages: hidden, conversations: [] }).again;
    expect(messages(again.messages)).toEqual(messages(input.messages.filter((_, index) => index !== 5)));
    expect(again.windowStart).toBe(3);
  });

  it('keeps the summary, window start, passages (without vectors) and conversations under metadata.memgate', () => {
    const input = base();
    const passages: NewPassage[] = [
      {
        id: 'passage-1',
        agentId: input.agent.id,
        content: 'Ada likes sailing.',
        embeddingModel: 'old-embedder',
        createdAt: '2026-01-01T00:00:00.000Z',
        embedding: new Float32Array([0.125, 0.5]),
      },
    ];
    const conversations: Conversation[] = [
      { id: input.agent.id, agentId: input.agent.id, name: null, metadata: null, createdAt: 'x', updatedAt: 'x' },
      {
        id: 'conv_1',
        agentId: input.agent.id,
        name: 'Trip planning',
        metadata: { topic: 'travel' },
        createdAt: '2026-02-01T00:00:00.000Z',
        updatedAt: '2026-02-02T00:00:00.000Z',
      },
    ];
    const summary = { text: 'Ada introduced herself.', messageCount: 3, updatedAt: '2026-03-01T00:00:00.000Z' };
    const { plan, text } = roundTrip({ ...input, summary, passages, conversations });
    const state = JSON.parse(JSON.parse(text).metadata.memgate);
    expect(state.agents['agent-0']).toMatchObject({
      window_start: 3,
      passages: [{ content: 'Ada likes sailing.', embedding_model: 'old-embedder' }],
      conversations: [{ id: 'conv_1', name: 'Trip planning', metadata: { topic: 'travel' } }],
    });
    expect(state.agents['agent-0'].passages[0]).not.toHaveProperty('embedding');
    const entry = plan.bundle.agents[0]!;
    expect(entry.summary).toEqual(summary);
    expect(entry.passages).toMatchObject([
      {
        agentId: entry.agent.id,
        content: 'Ada likes sailing.',
        embeddingModel: 'text-embedding-3-small',
        createdAt: '2026-01-01T00:00:00.000Z',
        embedding: null,
      },
    ]);
    expect(plan.warnings).toContain(
      'Conversation "Trip planning" was not imported: only an agent\'s default conversation is imported yet.',
    );
  });

  it('writes images as Letta image parts, and reads them back to the same attachments', () => {
    const input = base();
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
    const withImages = input.messages.map((message, index) =>
      index === 6
        ? {
            ...message,
            content: 'What is this?\nAnd this?',
            attachments: [
              {
                textOffset: 13,
                detail: 'high' as const,
                url: 'https://images.example.com/a.png',
                mediaType: null,
                data: null,
              },
              { textOffset: 23, detail: null, url: null, mediaType: 'image/png', data: bytes },
            ],
          }
        : message,
    );
    const { again, text } = roundTrip({ ...input, messages: withImages, conversations: [] });
    const parts = JSON.parse(text).agents[0].messages[7].content;
    expect(parts).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'url', url: 'https://images.example.com/a.png', detail: 'high' } },
      { type: 'text', text: 'And this?' },
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: Buffer.from(bytes).toString('base64') },
      },
    ]);
    expect(again.messages[6]!.content).toBe('What is this?\nAnd this?');
    expect(again.messages[6]!.attachments).toEqual(withImages[6]!.attachments);
    expect(messages(again.messages)).toEqual(messages(withImages));
  });

  it('never exports a secret the imported file held, nor the upstream address', () => {
    const original = read(files.at(-1)!);
    expect(original).toContain('sk-test-PLANTED-SECRET-123');
    const text = JSON.stringify(exportAgentFile({ ...base(), conversations: [] }));
    expect(text).not.toContain('PLANTED');
    expect(text).not.toContain('OPENAI_API_KEY');
    expect(text).not.toContain('api.openai.com');
    const agent = JSON.parse(text).agents[0];
    expect(agent.tool_exec_environment_variables).toEqual({});
    expect(agent.llm_config.model_endpoint).toBeNull();
  });

  it('reports metadata.memgate it cannot read instead of trusting it', () => {
    const file = exportAgentFile({ ...base(), conversations: [] });
    file.metadata.memgate = '{"version": 2}';
    const plan = planAgentImport(parseAgentFile(JSON.stringify(file)), options);
    expect(plan.warnings).toContain('metadata.memgate is not memgate state this version reads; it was ignored.');
    expect(plan.bundle.agents[0]!.summary).toBeNull();
  });
});
