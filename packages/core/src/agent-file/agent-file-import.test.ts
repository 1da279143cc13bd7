import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { BLOCK_LABEL_PATTERN } from './agent-file-blocks.ts';
import { type AgentImportOptions, planAgentImport } from './agent-file-import.ts';
import { parseAgentFile } from './agent-file-schema.ts';

const FIXTURES = new URL('../../../testkit/fixtures/', import.meta.url);
const sample = (name: string) => parseAgentFile(readFileSync(new URL(`agent-files/${name}`, FIXTURES), 'utf8'));
const testCase = (name: string) => parseAgentFile(readFileSync(new URL(`agent-file-cases/${name}`, FIXTURES), 'utf8'));

const options: AgentImportOptions = {
  userId: 'user-1',
  now: new Date('2026-12-02T12:00:00.000Z'),
  defaultModel: 'gpt-4o-mini',
  models: ['gpt-4o-mini', 'gpt-4o'],
  embeddingModel: null,
};

const blocksOf = (memory: { label: string; value: string; limit: number }[]) =>
  memory.map((block) => ({ label: block.label, limit: block.limit, value: block.value }));

describe('planAgentImport on the Letta samples', () => {
  it('gives every sample what memgate itself accepts: labels, limits that fit, unique ids, a window inside the history', () => {
    const names = readdirSync(new URL('agent-files/', FIXTURES)).filter((name) => name.endsWith('.af'));
    for (const name of names) {
      const { bundle } = planAgentImport(sample(name), options);
      const ids = new Set<string>();
      for (const entry of bundle.agents) {
        const blocks = [...entry.agent.memory, ...bundle.blocks.filter((b) => entry.agent.blockIds?.includes(b.id))];
        expect(new Set(blocks.map((block) => block.label)).size, name).toBe(blocks.length);
        for (const block of blocks) {
          expect(block.label, name).toMatch(BLOCK_LABEL_PATTERN);
          expect(block.limit, `${name} ${block.label}`).toBeGreaterThanOrEqual(block.value.length);
        }
        for (const id of [entry.agent.id, ...blocks.map((b) => b.id), ...entry.messages.map((m) => m.id)]) {
          expect(ids.has(id), `${name} ${id}`).toBe(false);
          ids.add(id);
        }
        expect(entry.windowStart).toBeLessThanOrEqual(entry.messages.length);
        expect(entry.agent.contextWindow).toBeGreaterThanOrEqual(1024);
        expect(entry.agent.system.length).toBeGreaterThan(0);
      }
    }
  });

  it('memgpt_agent.af: its blocks, system prompt and model, no history, and its Letta memory tools named', () => {
    const { bundle, warnings } = planAgentImport(sample('memgpt_agent.af'), options);
    expect(bundle.blocks).toEqual([]);
    expect(bundle.agents).toHaveLength(1);
    const [entry] = bundle.agents;
    expect(entry!.agent).toMatchObject({
      userId: 'user-1',
      name: 'memgpt_agent',
      model: 'gpt-4o-mini',
      contextWindow: 32000,
      blockIds: [],
      tags: [],
      metadata: null,
    });
    expect(entry!.agent.id).toMatch(/^agent-[0-9a-f-]{36}$/);
    expect(entry!.agent.system.startsWith('<base_instructions>\nYou are a helpful self-improving agent')).toBe(true);
    expect(entry!.agent.memory.map((block) => block.label)).toEqual(['human', 'persona']);
    const human = entry!.agent.memory[0]!;
    expect(human.value).toContain('First name: Chad');
    expect(human).toMatchObject({ limit: 20000, readOnly: false });
    expect(human.description).toMatch(/^The human block: Stores key details about the person/);
    expect(human.id).toMatch(/^block-[0-9a-f-]{36}$/);
    // The only message is the system message, which memgate renders itself: nothing is stored.
    expect(entry!.messages).toEqual([]);
    expect(entry!.windowStart).toBe(0);
    expect(entry!.summary).toBeNull();
    expect(entry!.passages).toEqual([]);
    expect(warnings).toContain(
      'Tool "memory_insert" (letta_sleeptime_core, python) was not imported: memgate\'s agents edit memory with its own memory tools.',
    );
    expect(warnings.some((warning) => warning.includes('"memory_replace"'))).toBe(true);
    // conversation_search is memgate's own: not a warning.
    expect(warnings.some((warning) => warning.includes('conversation_search'))).toBe(false);
  });

  it('deep_research_agent.af: read-only and small blocks kept; a model the upstream lacks becomes the default', () => {
    const { bundle, warnings } = planAgentImport(sample('deep_research_agent.af'), options);
    const agent = bundle.agents[0]!.agent;
    expect(agent.memory.map((block) => [block.label, block.limit, block.readOnly])).toEqual([
      ['human', 20000, false],
      ['persona', 20000, true],
      ['research_citations', 5000, false],
      ['research_plan', 20000, false],
    ]);
    expect(agent.memory[3]!.description).toMatch(/^Contains the research plan/);
    expect(agent.model).toBe('gpt-4o-mini');
    expect(agent.contextWindow).toBe(128_000);
    expect(warnings).toContain(
      'Agent agent-0: model "claude-sonnet-4-5-20250929" is not offered by the upstream; the default "gpt-4o-mini" is used.',
    );
    for (const tool of ['create_research_plan', 'reset_research', 'web_search', 'memory']) {
      expect(warnings.some((warning) => warning.startsWith(`Tool "${tool}"`))).toBe(true);
    }
  });

  it('keeps the model and its context window when the upstream offers it (or its models are unknown)', () => {
    const { bundle, warnings } = planAgentImport(sample('deep_research_agent.af'), { ...options, models: null });
    expect(bundle.agents[0]!.agent).toMatchObject({ model: 'claude-sonnet-4-5-20250929', contextWindow: 100000 });
    expect(warnings.some((warning) => warning.includes('not offered'))).toBe(false);
  });

  it('loop.af: nine blocks, tags, and its first exchange in the window with the tool call kept', () => {
    const { bundle } = planAgentImport(sample('loop.af'), { ...options, models: null });
    const entry = bundle.agents[0]!;
    expect(entry.agent.memory.map((block) => block.label)).toEqual([
      'about_user',
      'active_hypotheses',
      'conversation_patterns',
      'custom_instructions',
      'learned_corrections',
      'persona',
      'preferences',
      'scratchpad',
      'soul',
    ]);
    expect(entry.agent.memory[8]!.value.startsWith("LOOP'S SOUL")).toBe(true);
    expect(entry.agent.tags).toEqual(['origin:letta-chat', 'view:letta-chat']);
    expect(entry.agent.contextWindow).toBe(90000);
    const callId = '35823630-fc6f-4bf7-b70c-deb819bdc581';
    expect(
      entry.messages.map(({ role, content, toolCalls, toolCallId, name }) => ({
        role,
        content,
        toolCalls,
        toolCallId,
        name,
      })),
    ).toEqual([
      {
        role: 'assistant',
        content: null,
        toolCalls: [
          {
            id: callId,
            type: 'function',
            function: {
              name: 'send_message',
              arguments: '{"message": "I\'m Loop. I remember. What\'s on your mind?"}',
            },
          },
        ],
        toolCallId: null,
        name: null,
      },
      {
        role: 'tool',
        content: '{\n  "status": "OK",\n  "message": "None",\n  "time": "2026-01-22 02:06:34 AM UTC+0000"\n}',
        toolCalls: null,
        toolCallId: callId,
        name: 'send_message',
      },
    ]);
    expect(entry.messages[0]!.createdAt).toBe('2026-01-22T02:06:34.048Z');
    expect(entry.messages[0]!.id).toMatch(/^message-[0-9a-f-]{36}$/);
    expect(entry.messages[0]!.agentId).toBe(entry.agent.id);
    expect(entry.windowStart).toBe(0);
  });

  it('customer_service.af and outreach_workflow_agent.af: custom tools and tool rules are named, never run', () => {
    const service = planAgentImport(sample('customer_service.af'), options).warnings;
    for (const tool of ['cancel_order', 'check_order_status', 'escalate', 'terminate_chat']) {
      expect(service).toContain(
        `Tool "${tool}" (custom, python) was not imported: memgate runs only its built-in tools and never runs a file's code.`,
      );
    }
    const outreach = planAgentImport(sample('outreach_workflow_agent.af'), options);
    expect(outreach.warnings).toContain(
      'Agent agent-0: tool rule "run_first" on "retrieve_candidate" is not supported; it was ignored.',
    );
    expect(outreach.warnings.some((warning) => warning.startsWith('Tool "send_email"'))).toBe(true);
    // Its system prompt is empty: memgate's default stands in, and says so.
    expect(outreach.warnings).toContain("Agent agent-0: it has no system prompt; memgate's default is used.");
    expect(outreach.bundle.agents[0]!.agent.memory).toEqual([]);
  });
});

describe('planAgentImport on a conversation with shared blocks', () => {
  const plan = () => planAgentImport(testCase('shared_blocks_convo.af'), options);

  it('shares a block two agents reference, keeps the others their own, and reports the unattached one', () => {
    const { bundle, warnings } = plan();
    expect(bundle.blocks).toHaveLength(1);
    const shared = bundle.blocks[0]!;
    expect(shared).toMatchObject({ label: 'human', value: 'The user is called Ada.', limit: 2000, userId: 'user-1' });
    const [ada, notes] = bundle.agents;
    expect(ada!.agent.blockIds).toEqual([shared.id]);
    expect(notes!.agent.blockIds).toEqual([shared.id]);
    expect(blocksOf(ada!.agent.memory)).toEqual([
      { label: 'persona', limit: 36, value: 'I am a patient helper who remembers.' },
    ]);
    expect(ada!.agent.memory[0]!.readOnly).toBe(true);
    expect(blocksOf(notes!.agent.memory)).toEqual([
      { label: 'notes', limit: 500, value: '' },
      { label: 'scratch', limit: 100, value: 'nothing yet' },
    ]);
    expect(warnings).toContain('Block block-1: label "Persona" became "persona" ([a-z0-9_-], 1–64).');
    expect(warnings).toContain('Block block-1 ("persona"): limit 10 is below its 36 characters; raised to fit.');
    expect(warnings).toContain('Block block-3 ("orphan") is attached to no agent in the file; it was not imported.');
  });

  it('keeps roles, text and tool calls, unwraps typed user messages, and makes the window', () => {
    const ada = plan().bundle.agents[0]!;
    const messages = ada.messages.map(({ role, content, toolCallId, name }) => ({ role, content, toolCallId, name }));
    expect(messages).toEqual([
      { role: 'user', content: "Hi, I'm Ada.", toolCallId: null, name: null },
      { role: 'assistant', content: 'She told me her name.', toolCallId: null, name: null },
      { role: 'tool', content: '{"status": "OK", "message": null}', toolCallId: 'call-1', name: 'core_memory_append' },
      { role: 'user', content: expect.stringMatching(/^\{"type":"heartbeat"/), toolCallId: null, name: null },
      { role: 'assistant', content: null, toolCallId: null, name: null },
      { role: 'tool', content: '{"status": "OK"}', toolCallId: 'call-2', name: 'send_message' },
      { role: 'user', content: "What's my name?", toolCallId: null, name: 'ada' },
      { role: 'assistant', content: null, toolCallId: null, name: null },
      { role: 'tool', content: 'No results.', toolCallId: 'call-3', name: 'archival_memory_search' },
      { role: 'tool', content: "Hi, I'm Ada.", toolCallId: 'call-4', name: 'conversation_search' },
    ]);
    expect(ada.messages[1]!.toolCalls).toEqual([
      {
        id: 'call-1',
        type: 'function',
        function: {
          name: 'core_memory_append',
          arguments: '{"label":"human","content":"Name: Ada","request_heartbeat":true}',
        },
      },
    ]);
    expect(ada.messages[7]!.toolCalls?.map((call) => call.id)).toEqual(['call-3', 'call-4']);
    for (const message of ada.messages) expect(message.tokenCount).toBeGreaterThan(0);
    // message-4 (the heartbeat) is the first in-context message after the system message.
    expect(ada.windowStart).toBe(3);
    expect(ada.messages[0]!.createdAt).toBe('2025-03-01T10:00:01.123Z');
    expect(ada.agent).toMatchObject({
      name: 'Ada helper',
      system: "You are Ada's helper. Keep the human block current.",
      model: 'gpt-4o-mini',
      contextWindow: 16000,
      tags: ['vip'],
      metadata: { team: 'core', priority: '3', nested: '{"a":1}' },
    });
  });

  it('maps a Letta model handle onto the model it names, and an unknown agent type runs as MemGPT with a warning', () => {
    const { bundle, warnings } = plan();
    expect(bundle.agents[1]!.agent).toMatchObject({ model: 'gpt-4o-mini', contextWindow: 20000 });
    expect(bundle.agents[1]!.messages).toEqual([]);
    expect(warnings).toContain(
      'Agent agent-1: agent type "split_thread_agent" is not one memgate runs; it runs as a MemGPT agent.',
    );
    expect(warnings.some((warning) => warning.includes('"memgpt_agent"'))).toBe(false);
  });

  it('names everything it will not run, and never a secret value', () => {
    const { warnings } = plan();
    const expected = [
      'Tool "run_python" (custom, python) was not imported: memgate runs only its built-in tools and never runs a file\'s code.',
      'MCP server "github" was not imported: an import never connects to a server it names.',
      'Group group-0 (sleeptime manager) was not imported: memgate runs each agent on its own; shared blocks stay shared.',
      'File "handbook.pdf" was not imported: memgate has no file sources.',
      'Source "Handbook" was not imported: memgate has no file sources.',
      'Agent agent-0: tool environment variable "OPENAI_API_KEY" was not imported (values are never imported).',
      'Agent agent-0: secret "STRIPE_KEY" was not imported (values are never imported).',
      'Agent agent-0: tool rule "exit_loop" on "send_message" is not supported; it was ignored.',
      'Agent agent-0: its sources source-0 were not attached.',
      'Agent agent-0: open file "handbook.pdf" was not imported.',
      'Agent agent-0: tag "" is not 1–64 characters; dropped.',
      'Agent agent-0: message content parts of type "reasoning" were not imported (1×).',
      'Agent agent-0: messages with role "approval" were not imported (1×).',
    ];
    for (const warning of expected) expect(warnings).toContain(warning);
    const all = JSON.stringify(plan());
    expect(all).not.toContain('PLANTED');
    expect(all).not.toContain('echo pwned');
    expect(all).not.toContain('mcp.example.invalid');
  });

  it('refuses two shared blocks with one label on one agent, naming the agent', () => {
    const document = testCase('shared_blocks_convo.af');
    const blocks = document.blocks!;
    blocks.push({ ...blocks[0]!, id: 'block-9' });
    document.agents[0]!.block_ids = ['block-0', 'block-9'];
    document.agents[1]!.block_ids = ['block-0', 'block-9'];
    let error: unknown;
    try {
      planAgentImport(document, options);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MemgateError);
    expect((error as MemgateError).status).toBe(422);
    expect((error as MemgateError).detailCode).toBe('label_conflict');
    expect((error as MemgateError).param).toBe('agents.0.block_ids');
  });

  it("renames an agent's own block whose label collides once lower-cased", () => {
    const document = testCase('shared_blocks_convo.af');
    document.blocks!.push({ id: 'block-9', label: 'HUMAN', value: 'old copy', limit: 100 });
    document.agents[0]!.block_ids = ['block-0', 'block-9'];
    const { bundle, warnings } = planAgentImport(document, options);
    expect(bundle.agents[0]!.agent.memory.map((block) => block.label)).toEqual(['human_2']);
    expect(warnings).toContain('Agent agent-0: a second block labelled "human" became "human_2".');
  });
});

describe('planAgentImport: the window from in_context_message_ids', () => {
  const user = (id: string, text: string) => ({ id, role: 'user', content: [{ type: 'text', text }] });
  const file = (inContext: string[] | undefined) =>
    parseAgentFile(
      JSON.stringify({
        agents: [
          {
            id: 'agent-0',
            system: 'Be brief.',
            messages: [
              { id: 'message-0', role: 'system', content: 'Be brief.' },
              user('message-1', 'evicted'),
              user('message-2', 'kept'),
              user('message-3', 'summary of the evicted'),
            ],
            ...(inContext ? { in_context_message_ids: inContext } : {}),
          },
        ],
      }),
    );
  const texts = (plan: ReturnType<typeof planAgentImport>) => plan.bundle.agents[0]!.messages.map((m) => m.content);

  it('puts the in-context messages last, in the order Letta prompted them, after those it evicted', () => {
    const plan = planAgentImport(file(['message-0', 'message-3', 'message-2']), options);
    expect(texts(plan)).toEqual(['evicted', 'summary of the evicted', 'kept']);
    expect(plan.bundle.agents[0]!.windowStart).toBe(1);
  });

  it('keeps the window it can when in-context ids name messages the file lacks (Letta exports 50), with a warning', () => {
    const plan = planAgentImport(file(['message-0', 'message-9', 'message-2']), options);
    expect(texts(plan)).toEqual(['evicted', 'summary of the evicted', 'kept']);
    expect(plan.bundle.agents[0]!.windowStart).toBe(2);
    expect(plan.warnings).toContain(
      'Agent agent-0: 1 of its in-context messages are not in the file; the window holds the 1 it has.',
    );
  });

  it('keeps everything in the window when the file lists no context, and the system message out of the history', () => {
    const plan = planAgentImport(file(undefined), options);
    expect(texts(plan)).toEqual(['evicted', 'kept', 'summary of the evicted']);
    expect(plan.bundle.agents[0]!.windowStart).toBe(0);
  });

  it('counts an assistant message with neither text nor tool calls instead of storing an empty one', () => {
    const document = file(undefined);
    document.agents[0]!.messages!.push({ id: 'message-4', role: 'assistant', content: [{ type: 'reasoning' }] });
    const plan = planAgentImport(document, options);
    expect(texts(plan)).toHaveLength(3);
    expect(plan.warnings).toContain(
      'Agent agent-0: assistant messages without text or tool calls were not imported (1×).',
    );
  });

  it('has an empty window when only the system message is in context', () => {
    const plan = planAgentImport(file(['message-0']), options);
    expect(plan.bundle.agents[0]!.windowStart).toBe(3);
  });
});

describe('planAgentImport: images in user messages', () => {
  // A PNG's signature and a few bytes: memgate checks an image's first bytes, never decodes it.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString('base64');
  const image = (source: Record<string, unknown>) => ({ type: 'image', source });
  const plan = () =>
    planAgentImport(
      parseAgentFile(
        JSON.stringify({
          agents: [
            {
              id: 'agent-0',
              system: 'Look closely.',
              messages: [
                {
                  id: 'message-1',
                  role: 'user',
                  content: [
                    { type: 'text', text: 'Look:' },
                    image({ type: 'url', url: 'https://images.example.com/cat.png', detail: 'low' }),
                    { type: 'text', text: 'and this' },
                    image({ type: 'base64', media_type: 'image/png', data: png }),
                    image({ type: 'base64', media_type: 'image/bmp', data: png }),
                    image({ type: 'url', url: 'file:///etc/passwd' }),
                  ],
                },
              ],
            },
          ],
        }),
      ),
      options,
    );

  it('keeps URL and base64 images as attachments where they stood, and counts those memgate cannot store', () => {
    const { bundle, warnings } = plan();
    const [message] = bundle.agents[0]!.messages;
    expect(message).toMatchObject({ role: 'user', content: 'Look:\nand this' });
    expect(message!.attachments).toEqual([
      { textOffset: 5, detail: 'low', url: 'https://images.example.com/cat.png', mediaType: null, data: null },
      {
        textOffset: 14,
        detail: null,
        url: null,
        mediaType: 'image/png',
        data: new Uint8Array(Buffer.from(png, 'base64')),
      },
    ]);
    expect(warnings).toContain('Agent agent-0: images memgate cannot store were not imported (2×).');
  });
});
