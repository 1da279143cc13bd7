import { RestSetup } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, type ResultError, wsClient } from './graphql-transport.ts';

const BLOCK = 'id label value limit description readOnly version';
const EDIT = `mutation($agentId: ID!, $label: String, $id: ID, $value: String!, $version: Int) {
  updateAgentBlock(agentId: $agentId, label: $label, id: $id, value: $value, version: $version) { ${BLOCK} }
}`;
const UPDATE_MEMORY = `mutation($agentId: ID!, $label: String!, $value: String!, $version: Int) {
  updateMemory(agentId: $agentId, label: $label, value: $value, version: $version) { ${BLOCK} }
}`;

interface BlockFields {
  id: string;
  label: string;
  value: string;
  version: number;
}
interface RestBlock {
  id: string;
  label: string;
  value: string;
  version: number;
}
const extensionsOf = (errors: ResultError[] | undefined) => errors?.map((error) => error.extensions);

describe('GraphQL block edits with conflict detection (console)', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  let agentId: string;
  let ws: Client;
  const graphql = <Data>(query: string, variables: Record<string, unknown>, apiKey = harness.apiKey) =>
    postGraphql<Data>(harness.graphqlUrl, apiKey, query, variables);
  const restBlock = async (label: string) => {
    const { blocks } = await rest.request<{ blocks: RestBlock[] }>('GET', `/v1/agents/${agentId}/memory`);
    return blocks.find((block) => block.label === label)!;
  };

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
    agentId = await rest.createAgent({ name: 'editor', human: 'Name: unknown' });
    ws = wsClient(harness.wsUrl, harness.apiKey);
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });

  it('edits a block by label and by id from its version, as REST then reads it', async () => {
    const human = await restBlock('human');
    const byLabel = await graphql<{ updateAgentBlock: BlockFields }>(EDIT, {
      agentId,
      label: 'human',
      value: 'Name: Ada',
      version: human.version,
    });
    expect(byLabel.errors).toBeUndefined();
    expect(byLabel.data!.updateAgentBlock).toMatchObject({
      id: human.id,
      label: 'human',
      value: 'Name: Ada',
      version: human.version + 1,
    });
    expect(await restBlock('human')).toMatchObject({ value: 'Name: Ada', version: human.version + 1 });

    const byId = await graphql<{ updateAgentBlock: BlockFields }>(EDIT, {
      agentId,
      id: human.id,
      value: 'Name: Ada Lovelace',
      version: human.version + 1,
    });
    expect(byId.data!.updateAgentBlock).toMatchObject({ value: 'Name: Ada Lovelace', version: human.version + 2 });
    const withoutVersion = await graphql<{ updateAgentBlock: BlockFields }>(EDIT, {
      agentId,
      label: 'human',
      value: 'Name: Ada L.',
    });
    expect(withoutVersion.data!.updateAgentBlock).toMatchObject({ value: 'Name: Ada L.', version: human.version + 3 });
    expect(await restBlock('human')).toMatchObject({ value: 'Name: Ada L.', version: human.version + 3 });
  });

  it('refuses an edit from a stale version as a 409, with the current block, and changes nothing', async () => {
    const persona = await restBlock('persona');
    // Someone else (here REST) writes the block after the console read it.
    await rest.request('PUT', `/v1/agents/${agentId}/memory/persona`, { value: 'Written elsewhere.' });
    const current = { id: persona.id, label: 'persona', value: 'Written elsewhere.', version: persona.version + 1 };
    for (const [query, variables] of [
      [EDIT, { agentId, label: 'persona', value: 'Lost edit.', version: persona.version }],
      [EDIT, { agentId, id: persona.id, value: 'Lost edit.', version: persona.version }],
      [UPDATE_MEMORY, { agentId, label: 'persona', value: 'Lost edit.', version: persona.version }],
    ] as const) {
      const stale = await graphql(query, variables);
      expect(stale.data).toBeNull();
      expect(extensionsOf(stale.errors)).toEqual([
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          status: 409,
          detail: 'memory_conflict',
          request_id: expect.any(String),
          currentBlock: expect.objectContaining(current),
        }),
      ]);
    }
    expect(await restBlock('persona')).toMatchObject({ value: 'Written elsewhere.', version: persona.version + 1 });
    const retried = await graphql<{ updateMemory: BlockFields }>(UPDATE_MEMORY, {
      agentId,
      label: 'persona',
      value: 'Re-applied edit.',
      version: current.version,
    });
    expect(retried.data!.updateMemory).toMatchObject({ value: 'Re-applied edit.', version: current.version + 1 });
  });

  it('tells the agent’s subscribers about the edit', async () => {
    const events = ws.iterate<{ agentEvents: { type: string; block: BlockFields | null; actor: string | null } }>({
      query: `subscription($agentId: ID!) { agentEvents(agentId: $agentId) { type actor block { ${BLOCK} } } }`,
      variables: { agentId },
    });
    try {
      const first = await events.next();
      expect(first.value?.data?.agentEvents.type).toBe('subscribed');
      const human = await restBlock('human');
      await graphql(EDIT, { agentId, label: 'human', value: 'Name: Grace', version: human.version });
      const next = await events.next();
      expect(next.value?.data?.agentEvents).toMatchObject({
        type: 'block.updated',
        actor: 'user',
        block: { label: 'human', value: 'Name: Grace', version: human.version + 1 },
      });
    } finally {
      await events.return?.();
    }
  });

  it('refuses bad input as 422 and unknown or foreign blocks as 404', async () => {
    const human = await restBlock('human');
    for (const variables of [
      { agentId, value: 'x' },
      { agentId, label: 'human', id: human.id, value: 'x' },
      { agentId, label: 'human', value: 'x'.repeat(100_000), version: human.version },
      { agentId, label: 'human', value: 'x', version: 0 },
    ]) {
      const answer = await graphql(EDIT, variables);
      expect(extensionsOf(answer.errors), JSON.stringify(variables).slice(0, 80)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', status: 422 }),
      ]);
    }
    const otherAgent = await rest.createAgent({ name: 'other' });
    const { blocks } = await rest.request<{ blocks: RestBlock[] }>('GET', `/v1/agents/${otherAgent}/memory`);
    for (const [variables, apiKey] of [
      [{ agentId, label: 'missing', value: 'x', version: 1 }, harness.apiKey],
      [{ agentId, label: 'missing', value: 'x' }, harness.apiKey],
      [{ agentId, id: blocks[0]!.id, value: 'x', version: 1 }, harness.apiKey],
      [{ agentId, label: 'human', value: 'x', version: human.version }, harness.otherApiKey],
      [{ agentId, id: human.id, value: 'x' }, harness.otherApiKey],
    ] as const) {
      const answer = await graphql(EDIT, variables, apiKey);
      expect(extensionsOf(answer.errors), JSON.stringify(variables)).toEqual([
        expect.objectContaining({ code: 'NOT_FOUND', status: 404 }),
      ]);
    }
    const readOnly = await graphql(
      EDIT,
      { agentId, label: 'human', value: 'x', version: human.version },
      harness.readApiKey,
    );
    expect(extensionsOf(readOnly.errors)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', status: 403 })]);
    expect(await restBlock('human')).toEqual(human);
  });
});
