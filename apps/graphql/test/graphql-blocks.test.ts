import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, wsClient } from './graphql-transport.ts';

const BLOCK_FIELDS = 'id object label value limit description readOnly version metadata agentIds';

interface BlockFields {
  id: string;
  label: string;
  value: string;
  version: number;
  agentIds: string[];
}

interface BlockEvent {
  type: string;
  agentId: string;
  block: { id: string | null; label: string; value: string; version: number | null } | null;
  actor: string | null;
  byAgentId: string | null;
}

describe('GraphQL blocks, agent edits and block events', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  const graphql = <Data>(query: string, variables: Record<string, unknown> = {}) =>
    postGraphql<Data>(harness.graphqlUrl, harness.apiKey, query, variables);

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('creates agents with custom blocks, edits them and shares a block, as REST shows them', async () => {
    const created = await graphql<{ createAgent: { id: string; tags: string[]; memory: Record<string, unknown>[] } }>(
      `mutation($input: CreateAgentInput!) {
        createAgent(input: $input) { id tags metadata memory { id label value limit description readOnly version } }
      }`,
      {
        input: {
          name: 'gql-blocks',
          memoryBlocks: [{ label: 'goals', value: 'Ship.', description: 'The goals.', readOnly: true }],
          tags: ['t'],
          metadata: { a: 'b' },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const agent = created.data!.createAgent;
    expect(agent.memory).toEqual([
      expect.objectContaining({
        label: 'goals',
        value: 'Ship.',
        description: 'The goals.',
        readOnly: true,
        version: 1,
      }),
    ]);

    const block = await graphql<{ createBlock: BlockFields }>(
      `mutation($input: BlockInput!) { createBlock(input: $input) { ${BLOCK_FIELDS} } }`,
      { input: { label: 'team', value: 'Team notes.' } },
    );
    const blockId = block.data!.createBlock.id;
    const attached = await graphql<{ attachBlock: { memory: { label: string }[] } }>(
      `mutation($agentId: ID!, $blockId: ID!) { attachBlock(agentId: $agentId, blockId: $blockId) { memory { label } } }`,
      { agentId: agent.id, blockId },
    );
    expect(attached.data!.attachBlock.memory.map((entry) => entry.label)).toEqual(['goals', 'team']);
    const updated = await graphql<{ updateBlock: BlockFields }>(
      `mutation($id: ID!, $input: UpdateBlockInput!) { updateBlock(id: $id, input: $input) { ${BLOCK_FIELDS} } }`,
      { id: blockId, input: { value: 'New notes.', version: 1 } },
    );
    expect(updated.data!.updateBlock).toMatchObject({ value: 'New notes.', version: 2, agentIds: [agent.id] });
    const stale = await graphql(
      `mutation($id: ID!, $input: UpdateBlockInput!) { updateBlock(id: $id, input: $input) { id } }`,
      { id: blockId, input: { value: 'Lost.', version: 1 } },
    );
    expect(stale.errors?.[0]?.extensions?.['status']).toBe(409);
    const history = await graphql<{ block: { history: { version: number; actor: string }[] } }>(
      `query($id: ID!) { block(id: $id) { history { version actor } } }`,
      { id: blockId },
    );
    expect(history.data!.block.history).toEqual([
      { version: 2, actor: 'user' },
      { version: 1, actor: 'user' },
    ]);
    const viaRest = await rest.request<{ value: string }>('GET', `/v1/blocks/${blockId}`);
    expect(viaRest.value).toBe('New notes.');

    const renamed = await graphql<{ updateAgent: { name: string; contextWindow: number; tags: string[] } }>(
      `mutation($id: ID!, $input: UpdateAgentInput!) { updateAgent(id: $id, input: $input) { name contextWindow tags } }`,
      { id: agent.id, input: { name: 'renamed', tags: ['x', 'y'] } },
    );
    expect(renamed.data!.updateAgent).toMatchObject({ name: 'renamed', tags: ['x', 'y'] });
    const refused = await graphql(`mutation($id: ID!) { deleteBlock(id: $id) }`, { id: blockId });
    expect(refused.errors?.[0]?.extensions?.['status']).toBe(409);
    const deleted = await graphql<{ deleteBlock: boolean }>(
      `mutation($id: ID!) { deleteBlock(id: $id, force: true) }`,
      {
        id: blockId,
      },
    );
    expect(deleted.data!.deleteBlock).toBe(true);
  });

  it('tells agentEvents subscribers of every write of a shared block, by an agent or through the API', async () => {
    const blockId = (await rest.request<{ id: string }>('POST', '/v1/blocks', { label: 'shared', value: 'v1' })).id;
    const writer = await rest.createAgent({ name: 'writer', block_ids: [blockId] });
    const watcher = await rest.createAgent({ name: 'watcher', block_ids: [blockId] });
    const client = wsClient(harness.wsUrl, harness.apiKey);
    const events: BlockEvent[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const unsubscribe = client.subscribe<{ agentEvents: BlockEvent }>(
          {
            query: `subscription($agentId: ID!) {
              agentEvents(agentId: $agentId) { type agentId block { id label value version } actor byAgentId }
            }`,
            variables: { agentId: watcher },
          },
          {
            next: (result) => {
              const event = result.data?.agentEvents;
              if (!event) return reject(new Error(JSON.stringify(result.errors)));
              if (event.type === 'subscribed') {
                harness.upstream.script(
                  {
                    toolCalls: [
                      {
                        name: 'core_memory_append',
                        arguments: { label: 'shared', content: 'by the writer', request_heartbeat: true },
                      },
                    ],
                  },
                  sendMessage('Done.'),
                );
                rest
                  .request('POST', '/v1/chat/completions', {
                    model: 'mock-model',
                    user: writer,
                    messages: [{ role: 'user', content: 'Write it.' }],
                  })
                  .then(() => rest.request('PATCH', `/v1/blocks/${blockId}`, { value: 'by the user' }))
                  .catch(reject);
                return;
              }
              events.push(event);
              if (events.length === 2) {
                unsubscribe();
                resolve();
              }
            },
            error: reject,
            complete: () => reject(new Error('agentEvents ended by itself')),
          },
        );
      });
    } finally {
      await client.dispose();
    }
    expect(events).toEqual([
      {
        type: 'block.updated',
        agentId: watcher,
        block: { id: blockId, label: 'shared', value: 'v1\nby the writer', version: 2 },
        actor: 'agent',
        byAgentId: writer,
      },
      {
        type: 'block.updated',
        agentId: watcher,
        block: { id: blockId, label: 'shared', value: 'by the user', version: 3 },
        actor: 'user',
        byAgentId: null,
      },
    ]);
  });
});
