import { SdkMcpClientPool } from '@memgate/mcp';
import { sendMessage, startTestMcpServer, type TestMcpServer } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE } from './graphql-operations.ts';
import { postGraphql } from './graphql-transport.ts';

const FIELDS = 'id name transport url headerNames allowedTools requireApproval timeoutMs source createdAt updatedAt';

interface ServerFields {
  id: string;
  name: string;
  headerNames: string[];
  requireApproval: unknown;
}

describe('GraphQL MCP server management', () => {
  let harness: GraphqlHarness;
  let mcp: TestMcpServer;
  const graphql = <Data>(query: string, variables: Record<string, unknown> = {}, key?: string) =>
    postGraphql<Data>(harness.graphqlUrl, key ?? harness.apiKey, query, variables);
  const rest = async (path: string, key = harness.apiKey) =>
    (await fetch(`${harness.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    mcp = await startTestMcpServer({ transport: 'sse' });
    harness = await startGraphqlHarness({
      mcp: {
        pool: new SdkMcpClientPool({ allowPrivate: true }),
        secretKey: 'a-graphql-test-secret-key-of-32-chars-or-more',
        allowPrivate: true,
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await mcp?.close();
  });

  it('creates, reads (with live tools), updates and deletes a server, answering as REST does', async () => {
    const created = await graphql<{ createMcpServer: ServerFields }>(
      `mutation($input: McpServerInput!) { createMcpServer(input: $input) { ${FIELDS} } }`,
      {
        input: {
          name: 'gql_tools',
          url: mcp.url,
          transport: 'sse',
          headers: { Authorization: 'Bearer gql-secret' },
          requireApproval: ['add'],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const server = created.data!.createMcpServer;
    expect(server).toMatchObject({
      name: 'gql_tools',
      headerNames: ['Authorization'],
      requireApproval: ['add'],
      source: 'api',
    });
    expect(JSON.stringify(created.data)).not.toContain('gql-secret');
    // The same object as REST's, field for field.
    const viaRest = await rest(`/v1/mcp-servers/${server.id}`);
    expect(viaRest).toMatchObject({
      id: server.id,
      name: 'gql_tools',
      header_names: ['Authorization'],
      require_approval: ['add'],
    });

    const read = await graphql<{
      mcpServer: ServerFields & {
        tools: { name: string; requiresApproval: boolean; usable: boolean; warning: string | null }[];
      };
    }>(
      `query($id: ID!) { mcpServer(id: $id) { ${FIELDS} tools(refresh: true) { name tool requiresApproval usable warning allowed inputSchema } } }`,
      { id: server.id },
    );
    expect(read.errors).toBeUndefined();
    const tools = read.data!.mcpServer.tools;
    expect(tools.find((tool) => tool.name === 'gql_tools__add')).toMatchObject({
      requiresApproval: true,
      usable: true,
    });
    expect(tools.find((tool) => tool.name === 'gql_tools__echo')).toMatchObject({
      requiresApproval: false,
      usable: true,
    });
    expect(tools.find((tool) => tool.name === 'gql_tools__array_schema')).toMatchObject({
      usable: false,
      warning: expect.any(String),
    });

    const listed = await graphql<{ mcpServers: ServerFields[] }>(`{ mcpServers { ${FIELDS} } }`);
    expect(listed.data!.mcpServers.map((entry) => entry.id)).toEqual([server.id]);

    const updated = await graphql<{ updateMcpServer: ServerFields }>(
      `mutation($id: ID!, $input: McpServerInput!) { updateMcpServer(id: $id, input: $input) { ${FIELDS} } }`,
      { id: server.id, input: { headers: null, requireApproval: 'never' } },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateMcpServer).toMatchObject({
      headerNames: [],
      requireApproval: 'never',
      name: 'gql_tools',
    });

    const deleted = await graphql<{ deleteMcpServer: boolean }>(`mutation($id: ID!) { deleteMcpServer(id: $id) }`, {
      id: server.id,
    });
    expect(deleted.data!.deleteMcpServer).toBe(true);
    const gone = await graphql<{ mcpServer: ServerFields | null }>(`query($id: ID!) { mcpServer(id: $id) { id } }`, {
      id: server.id,
    });
    expect(gone.data?.mcpServer ?? null).toBeNull();
    expect(gone.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports the core’s errors with the same codes: 422s, 409 and another user’s server', async () => {
    const bad = await graphql(`mutation { createMcpServer(input: { name: "x", url: "ftp://example.com" }) { id } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.errors?.[0]?.message).toContain('http');
    const noName = await graphql(`mutation { createMcpServer(input: { url: "https://example.com/mcp" }) { id } }`);
    expect(noName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const created = await graphql<{ createMcpServer: ServerFields }>(
      `mutation($url: String!) { createMcpServer(input: { name: "mine", url: $url }) { id } }`,
      { url: mcp.url },
    );
    const id = created.data!.createMcpServer.id;
    const clash = await graphql(
      `mutation($url: String!) { createMcpServer(input: { name: "mine", url: $url }) { id } }`,
      { url: mcp.url },
    );
    expect(clash.errors?.[0]?.message).toContain('already');

    const theirs = await graphql(`query($id: ID!) { mcpServer(id: $id) { id } }`, { id }, harness.otherApiKey);
    expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const deleteTheirs = await graphql(`mutation($id: ID!) { deleteMcpServer(id: $id) }`, { id }, harness.otherApiKey);
    expect(deleteTheirs.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await rest(`/v1/mcp-servers/${id}`))['name']).toBe('mine');
  });
  it('attaches an agent’s MCP tools with setAgentTools and lists them with agentTools, as REST does', async () => {
    const created = await graphql<{ createMcpServer: ServerFields }>(
      'mutation($input: McpServerInput!) { createMcpServer(input: $input) { id name } }',
      { input: { name: 'gql_attach', url: mcp.url, transport: 'sse', requireApproval: ['add'] } },
    );
    expect(created.errors).toBeUndefined();
    const agent = (await (
      await fetch(`${harness.baseUrl}/v1/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { id: string };
    const fields =
      'agentId attachments { serverId serverName tool all missing } tools { name tool requiresApproval } warnings { message }';
    const set = await graphql<{ setAgentTools: { tools: { name: string; requiresApproval: boolean }[] } }>(
      `mutation($agentId: ID!, $tools: [AgentToolInput!]!) { setAgentTools(agentId: $agentId, tools: $tools) { ${fields} } }`,
      {
        agentId: agent.id,
        tools: [
          { server: 'gql_attach', tool: 'echo' },
          { server: 'gql_attach', tool: 'add' },
        ],
      },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data?.setAgentTools.tools).toEqual([
      { name: 'gql_attach__echo', tool: 'echo', requiresApproval: false },
      { name: 'gql_attach__add', tool: 'add', requiresApproval: true },
    ]);
    const read = await graphql<{ agentTools: unknown }>(
      `query($agentId: ID!) { agentTools(agentId: $agentId) { ${fields} } }`,
      {
        agentId: agent.id,
      },
    );
    expect(read.data?.agentTools).toEqual(set.data?.setAgentTools);
    const view = await rest(`/v1/agents/${agent.id}/tools`);
    expect((view['tools'] as { name: string }[]).map((tool) => tool.name)).toEqual([
      'gql_attach__echo',
      'gql_attach__add',
    ]);

    const unknown = await graphql(
      'mutation($agentId: ID!) { setAgentTools(agentId: $agentId, tools: [{ server: "nope", all: true }]) { agentId } }',
      { agentId: agent.id },
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const theirs = await graphql(
      `query($agentId: ID!) { agentTools(agentId: $agentId) { agentId } }`,
      { agentId: agent.id },
      harness.otherApiKey,
    );
    expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an approval round trip on GraphQL: the call comes back as toolCalls, {"approve": true} runs it', async () => {
    const created = await graphql<{ createMcpServer: ServerFields }>(
      'mutation($input: McpServerInput!) { createMcpServer(input: $input) { id name } }',
      { input: { name: 'gql_approve', url: mcp.url, transport: 'sse', requireApproval: ['add'] } },
    );
    expect(created.errors).toBeUndefined();
    const agentId = (
      (await (
        await fetch(`${harness.baseUrl}/v1/agents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { id: string }
    ).id;
    const set = await graphql(
      'mutation($agentId: ID!, $tools: [AgentToolInput!]!) { setAgentTools(agentId: $agentId, tools: $tools) { agentId } }',
      { agentId, tools: [{ server: 'gql_approve', tool: 'add' }] },
    );
    expect(set.errors).toBeUndefined();
    harness.upstream.reset();
    harness.upstream.script(
      { toolCalls: [{ id: 'call_add', name: 'gql_approve__add', arguments: { a: 2, b: 3 } }] },
      sendMessage('It is 5.'),
    );
    type Completion = {
      createChatCompletion: {
        choices: { finishReason: string; message: { content: string | null; toolCalls: unknown[] | null } }[];
      };
    };
    const user = { role: 'user', content: 'add 2 and 3' };
    const asked = await graphql<Completion>(COMPLETE, {
      input: { model: 'mock-model', agentId, messages: [user] },
    });
    expect(asked.errors).toBeUndefined();
    const choice = asked.data!.createChatCompletion.choices[0]!;
    expect(choice.finishReason).toBe('tool_calls');
    expect(choice.message.toolCalls).toEqual([
      {
        index: null,
        id: 'call_add',
        type: 'function',
        function: { name: 'gql_approve__add', arguments: '{"a":2,"b":3}' },
      },
    ]);
    // Nothing ran yet: the upstream was asked once, and no tool result exists.
    expect(harness.upstream.requests).toHaveLength(1);
    const toolCalls = [
      { id: 'call_add', type: 'function', function: { name: 'gql_approve__add', arguments: '{"a":2,"b":3}' } },
    ];
    const assistant = { role: 'assistant', content: null, toolCalls };
    const approved = await graphql<Completion>(COMPLETE, {
      input: {
        model: 'mock-model',
        agentId,
        messages: [user, assistant, { role: 'tool', toolCallId: 'call_add', content: '{"approve": true}' }],
      },
    });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.createChatCompletion.choices[0]!.message.content).toBe('It is 5.');
    const fed = harness.upstream.requests[1]?.body.messages.findLast((message) => message.role === 'tool');
    expect(fed?.content).toBe('5');
  });
});
