import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseAgentFileExportQuery, parseAgentFileImportQuery } from './agent-file-requests.ts';
import { parseAgentFile, readAgentFileDocument } from './agent-file-schema.ts';

// The samples live in @memgate/testkit (which depends on the core, so the core reads them by path).
const SAMPLES = new URL('../../../testkit/fixtures/agent-files/', import.meta.url);
const samples = readdirSync(SAMPLES).filter((name) => name.endsWith('.af'));
const read = (name: string) => readFileSync(new URL(name, SAMPLES), 'utf8');

/** The 422 (or other MemgateError) `parse` throws. */
function refusal(parse: () => unknown): MemgateError {
  try {
    parse();
  } catch (error) {
    if (error instanceof MemgateError) return error;
    throw error;
  }
  throw new Error('expected the Agent File to be refused');
}

/** A small valid file to break one thing at a time. */
function document() {
  return {
    agents: [
      {
        id: 'agent-0',
        name: 'one',
        block_ids: ['block-0'],
        tool_ids: ['tool-0'],
        messages: [{ id: 'message-0', role: 'system', content: [{ type: 'text', text: 'hi' }] }],
        in_context_message_ids: ['message-0'],
      },
    ],
    blocks: [{ id: 'block-0', label: 'human', value: '', limit: 100 }],
    tools: [{ id: 'tool-0', name: 'send_message' }],
  };
}

describe('parseAgentFile', () => {
  it('reads every sample, double-encoded or not, to the same document either way', () => {
    expect(samples).toHaveLength(6);
    const doubleEncoded: string[] = [];
    for (const name of samples) {
      const text = read(name);
      const raw = JSON.parse(text) as unknown;
      if (typeof raw === 'string') doubleEncoded.push(name);
      const other = typeof raw === 'string' ? raw : JSON.stringify(text);
      const document = parseAgentFile(text);
      expect(document.agents.length, name).toBeGreaterThan(0);
      expect(parseAgentFile(other), name).toEqual(document);
    }
    expect(doubleEncoded).toEqual(['customer_service.af', 'memgpt_agent.af', 'outreach_workflow_agent.af']);
  });

  it("keeps the samples' entities as Letta wrote them", () => {
    const document = parseAgentFile(read('deep_research_agent.af'));
    const agent = document.agents[0]!;
    expect(agent.agent_type).toBe('letta_v1_agent');
    expect(agent.llm_config?.model).toBe('claude-sonnet-4-5-20250929');
    expect(agent.block_ids).toEqual(['block-0', 'block-1', 'block-2', 'block-3']);
    expect(document.blocks?.find((block) => block.id === 'block-2')).toMatchObject({
      label: 'research_citations',
      limit: 5000,
      value: '',
    });
    expect(document.tools?.map((tool) => tool.name)).toContain('web_search');
  });

  it('refuses text that is not JSON with a 422 saying so', () => {
    const error = refusal(() => parseAgentFile('{"agents": ['));
    expect(error.status).toBe(422);
    expect(error.detailCode).toBe('invalid_agent_file');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('refuses a JSON string that does not hold JSON, and JSON that is not an object', () => {
    expect(refusal(() => parseAgentFile(JSON.stringify('agents: none'))).message).toMatch(/string that is not JSON/);
    expect(refusal(() => parseAgentFile('[1, 2]')).message).toMatch(/JSON object with an `agents` list/);
    expect(refusal(() => parseAgentFile('null')).status).toBe(422);
  });

  it('refuses a file without agents, naming the field', () => {
    const missing = refusal(() => parseAgentFile(JSON.stringify({ blocks: [] })));
    expect(missing.status).toBe(422);
    expect(missing.validation?.[0]).toMatchObject({ loc: ['body', 'agents'], msg: 'Field required' });
    const empty = refusal(() => parseAgentFile(JSON.stringify({ agents: [] })));
    expect(empty.validation?.[0]?.loc).toEqual(['body', 'agents']);
    expect(empty.message).toMatch(/at least one agent/);
  });

  it('refuses a malformed entity with the path to it', () => {
    const file = document();
    (file.blocks[0] as { value: unknown }).value = 42;
    const error = refusal(() => parseAgentFile(JSON.stringify(file)));
    expect(error.param).toBe('blocks.0.value');
  });

  it('refuses a dangling block_ids reference, naming the block and where it is', () => {
    const file = document();
    file.agents[0]!.block_ids.push('block-9');
    const error = refusal(() => parseAgentFile(JSON.stringify(file)));
    expect(error.status).toBe(422);
    expect(error.validation?.[0]?.loc).toEqual(['body', 'agents', 0, 'block_ids', 1]);
    expect(error.message).toMatch(/block block-9/);
  });

  it('refuses a dangling tool_ids reference, also in a double-encoded file', () => {
    const file = document();
    file.agents[0]!.tool_ids = ['tool-7'];
    const error = refusal(() => parseAgentFile(JSON.stringify(JSON.stringify(file))));
    expect(error.param).toBe('agents.0.tool_ids.0');
    expect(error.message).toMatch(/tool tool-7/);
  });

  it('accepts in_context_message_ids naming messages the file lacks, as Letta writes them', () => {
    const file = document();
    file.agents[0]!.in_context_message_ids.push('message-5');
    expect(parseAgentFile(JSON.stringify(file)).agents[0]?.in_context_message_ids).toContain('message-5');
  });

  it('refuses a repeated id, which would make a reference ambiguous', () => {
    const file = document();
    file.blocks.push({ ...file.blocks[0]! });
    expect(refusal(() => parseAgentFile(JSON.stringify(file))).param).toBe('blocks.1.id');
    const messages = document();
    messages.agents[0]!.messages.push({ ...messages.agents[0]!.messages[0]! });
    const error = refusal(() => parseAgentFile(JSON.stringify(messages)));
    expect(error.param).toBe('agents.0.messages.1.id');
    expect(error.message).toMatch(/repeats the id message-0/);
  });

  it('refuses a file over the size limit with a 413', () => {
    const text = JSON.stringify(document());
    const error = refusal(() => parseAgentFile(text, { maxBytes: text.length - 1 }));
    expect(error.status).toBe(413);
    expect(error.detailCode).toBe('agent_file_too_large');
    expect(parseAgentFile(text, { maxBytes: text.length }).agents).toHaveLength(1);
  });
});

describe('readAgentFileDocument', () => {
  it('reads a body already parsed as JSON, or a string holding the document, as parseAgentFile does', () => {
    const text = readFileSync(new URL('memgpt_agent.af', SAMPLES), 'utf8');
    const expected = parseAgentFile(text);
    expect(readAgentFileDocument(JSON.parse(text))).toEqual(expected);
    expect(readAgentFileDocument(JSON.parse(JSON.parse(text)))).toEqual(expected);
    expect(refusal(() => readAgentFileDocument({ agents: 'none' })).param).toBe('agents');
  });
});

describe('Agent File queries', () => {
  it('reads messages=all|window|none (default all) and dry_run, refusing anything else with a 422', () => {
    expect(parseAgentFileExportQuery({})).toEqual({ messages: 'all' });
    expect(parseAgentFileExportQuery({ messages: 'window' })).toEqual({ messages: 'window' });
    const error = refusal(() => parseAgentFileExportQuery({ messages: 'some' }));
    expect(error.status).toBe(422);
    expect(error.validation?.[0]?.loc).toEqual(['query', 'messages']);
    expect(parseAgentFileImportQuery(undefined)).toEqual({ dryRun: false });
    expect(parseAgentFileImportQuery({ dry_run: 'true' })).toEqual({ dryRun: true });
    expect(parseAgentFileImportQuery({ dry_run: false })).toEqual({ dryRun: false });
    expect(refusal(() => parseAgentFileImportQuery({ dry_run: 'yes' })).param).toBe('dry_run');
    expect(refusal(() => parseAgentFileImportQuery({ force: 'true' })).status).toBe(422);
  });
});
