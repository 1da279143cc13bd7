import { readFileSync } from 'node:fs';
import { agentFileFixtures, RestSetup, readAgentFileFixture } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, type ResultError } from './graphql-transport.ts';
import { restCall } from './rest-call.ts';

const AGENT = 'id name model system contextWindow tags metadata memory { id label value limit description readOnly }';
const EXPORT = `query($id: ID!, $messages: Boolean, $windowOnly: Boolean) {
  exportAgent(id: $id, messages: $messages, windowOnly: $windowOnly)
}`;
const IMPORT_RESULT = `agent { ${AGENT} } agents { ${AGENT} } agentIds warnings dryRun`;
const PLAN = `query($file: JSON!) { agentImportPlan(file: $file) { ${IMPORT_RESULT} } }`;
const IMPORT = `mutation($file: JSON!) { importAgent(file: $file) { ${IMPORT_RESULT} } }`;

interface AgentFields {
  id: string;
  name: string;
  memory: { id: string | null; label: string; value: string }[];
}
interface ImportFields {
  agent: AgentFields;
  agents: AgentFields[];
  agentIds: string[];
  warnings: string[];
  dryRun: boolean;
}
interface RestImport {
  agent_ids: string[];
  warnings: string[];
  dry_run: boolean;
}

/** The shared-blocks case: two agents, blocks they share, and much memgate refuses to run. */
const sharedBlocksFile = () => {
  const path = new URL('../../../packages/testkit/fixtures/agent-file-cases/shared_blocks_convo.af', import.meta.url);
  return readFileSync(path, 'utf8');
};
/** An agent without the ids an import gives it, to compare a plan with what the import stored. */
const planned = ({ id: _id, memory, ...agent }: AgentFields) => ({
  ...agent,
  memory: memory.map(({ id: _block, ...block }) => block),
});
const extensionsOf = (errors: ResultError[] | undefined) => errors?.map((error) => error.extensions);

describe('GraphQL Agent Files (console)', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  const graphql = <Data>(query: string, variables: Record<string, unknown>, apiKey = harness.apiKey) =>
    postGraphql<Data>(harness.graphqlUrl, apiKey, query, variables);
  const restImport = (text: string, query = '', apiKey = harness.apiKey) =>
    fetch(`${harness.baseUrl}/v1/agents/import${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: text,
    });
  const agentCount = async () => (await rest.request<{ data: unknown[] }>('GET', '/v1/agents')).data.length;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('exports the document REST exports, for each choice of messages', async () => {
    const agentId = await rest.createAgent({ name: 'exported', human: 'Name: Ada' });
    await rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    await rest.request('POST', `/v1/agents/${agentId}/archival`, { content: 'A remembered fact.' });
    for (const [variables, query] of [
      [{}, ''],
      [{ messages: true }, '?messages=all'],
      [{ messages: false }, '?messages=none'],
      [{ windowOnly: true }, '?messages=window'],
    ] as const) {
      const answer = await graphql<{ exportAgent: Record<string, unknown> }>(EXPORT, { id: agentId, ...variables });
      expect(answer.errors).toBeUndefined();
      const restFile = await rest.request<Record<string, unknown>>('GET', `/v1/agents/${agentId}/export${query}`);
      // Each export is stamped with the time it was made; everything else is the same document.
      const { created_at: _graphqlTime, ...file } = answer.data!.exportAgent;
      const { created_at: _restTime, ...expected } = restFile;
      expect(file, query).toEqual(expected);
    }
    // Without messages, only the system prompt is left of the history.
    const roles = async (variables: Record<string, unknown>) => {
      type File = { agents: { messages: { role: string }[] }[] };
      const answer = await graphql<{ exportAgent: File }>(EXPORT, { id: agentId, ...variables });
      return answer.data!.exportAgent.agents[0]!.messages.map((message) => message.role);
    };
    expect(await roles({ messages: false })).toEqual(['system']);
    expect(await roles({})).toContain('user');

    const contradiction = await graphql(EXPORT, { id: agentId, messages: false, windowOnly: true });
    expect(extensionsOf(contradiction.errors)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', status: 422 }),
    ]);
    const other = await graphql(EXPORT, { id: agentId }, harness.otherApiKey);
    expect(extensionsOf(other.errors)).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
  });

  it('plans an import without storing anything, with the warnings and agents the import then has', async () => {
    const text = sharedBlocksFile();
    const before = await agentCount();
    const plan = await graphql<{ agentImportPlan: ImportFields }>(PLAN, { file: JSON.parse(text) });
    expect(plan.errors).toBeUndefined();
    const planned1 = plan.data!.agentImportPlan;
    expect(planned1.dryRun).toBe(true);
    expect(planned1.agents).toHaveLength(2);
    expect(planned1.agent).toEqual(planned1.agents[0]);
    expect(planned1.agentIds).toEqual(planned1.agents.map((agent) => agent.id));
    expect(await agentCount()).toBe(before);

    const restPlan = (await (await restImport(text, '?dry_run=true')).json()) as RestImport;
    expect(restPlan.dry_run).toBe(true);
    expect(planned1.warnings).toEqual(restPlan.warnings);
    expect(planned1.warnings.length).toBeGreaterThan(0);

    const imported = await graphql<{ importAgent: ImportFields }>(IMPORT, { file: JSON.parse(text) });
    expect(imported.errors).toBeUndefined();
    const result = imported.data!.importAgent;
    expect(result.dryRun).toBe(false);
    expect(result.warnings).toEqual(planned1.warnings);
    expect(result.agents.map(planned)).toEqual(planned1.agents.map(planned));
    expect(await agentCount()).toBe(before + 2);
    // Both agents see the block they share: one block, one id.
    const shared = (agent: AgentFields) => new Set(agent.memory.map((block) => block.id));
    const [first, second] = result.agents;
    expect([...shared(first!)].filter((id) => shared(second!).has(id))).not.toEqual([]);
  });

  it('imports as REST imports: the agents stored, as GraphQL and REST then read them', async () => {
    for (const { name } of agentFileFixtures()) {
      const text = readAgentFileFixture(name);
      const imported = await graphql<{ importAgent: ImportFields }>(IMPORT, { file: JSON.parse(text) });
      expect(imported.errors, name).toBeUndefined();
      const result = imported.data!.importAgent;
      const restResult = (await (await restImport(text)).json()) as RestImport;
      expect(result.warnings, name).toEqual(restResult.warnings);
      expect(result.agentIds).toHaveLength(restResult.agent_ids.length);
      for (const agent of result.agents) {
        const read = await graphql<{ agent: AgentFields }>(`query($id: ID!) { agent(id: $id) { ${AGENT} } }`, {
          id: agent.id,
        });
        expect(read.data!.agent).toEqual(agent);
        const restAgent = await rest.request<{ name: string }>('GET', `/v1/agents/${agent.id}`);
        expect(restAgent.name).toBe(agent.name);
      }
    }
  });

  it('refuses what REST refuses, with the same statuses', async () => {
    for (const file of [{}, { agents: [] }, 'not an agent file', 42, [1, 2]]) {
      const answer = await graphql(IMPORT, { file });
      const restAnswer = await restImport(JSON.stringify(file));
      expect(restAnswer.status).toBeGreaterThanOrEqual(400);
      expect(restAnswer.status).toBeLessThan(500);
      expect(extensionsOf(answer.errors), JSON.stringify(file)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', status: restAnswer.status, request_id: expect.any(String) }),
      ]);
      const plan = await graphql(PLAN, { file });
      expect(extensionsOf(plan.errors)?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', status: restAnswer.status });
    }
    const file = JSON.parse(sharedBlocksFile());
    const before = await agentCount();
    for (const query of [IMPORT, PLAN]) {
      const readOnly = await graphql(query, { file }, harness.readApiKey);
      expect(extensionsOf(readOnly.errors)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', status: 403 })]);
    }
    expect((await restImport(JSON.stringify(file), '', harness.readApiKey)).status).toBe(403);
    expect(await agentCount()).toBe(before);
  });

  it('holds an import to MEMGATE_MAX_IMPORT_BYTES, as REST does (413)', async () => {
    const small = await startGraphqlHarness({ maxImportBytes: 4_000 });
    try {
      const text = sharedBlocksFile();
      const answer = await postGraphql(small.graphqlUrl, small.apiKey, IMPORT, { file: JSON.parse(text) });
      const restAnswer = await restCall(small.baseUrl, small.apiKey, {
        method: 'POST',
        path: '/v1/agents/import',
        body: JSON.parse(text),
      });
      expect(restAnswer.status).toBe(413);
      expect(extensionsOf(answer.errors)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', status: 413 })]);
      const agents = await restCall(small.baseUrl, small.apiKey, { path: '/v1/agents' });
      expect((agents.body as { data: unknown[] }).data).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
