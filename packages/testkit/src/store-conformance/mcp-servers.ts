import { randomUUID } from 'node:crypto';
import type { McpServerRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { expectMemgateError, newAgent, newUser } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

function mcpServer(userId: string, overrides: Partial<McpServerRecord> = {}): McpServerRecord {
  return {
    id: `mcp-${randomUUID()}`,
    userId,
    name: `server-${randomUUID().slice(0, 8)}`,
    url: 'https://mcp.example.com/mcp',
    transport: 'streamable_http',
    headerNames: ['Authorization', 'X-Team'],
    headersEncrypted: 'v1:iv:tag:sealed',
    allowedTools: ['search', 'fetch'],
    requireApproval: ['fetch'],
    timeoutMs: 15_000,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Users' MCP servers: one user's, unique by name per user, read back whole, gone with their user. */
export function describeMcpServers(harness: StoreHarness): void {
  describe('MCP servers', () => {
    it('reads a server back whole, lists a user’s servers oldest first and never another user’s', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const first = mcpServer(alice.id);
      const second = mcpServer(alice.id, {
        createdAt: '2026-03-02T10:00:00.000Z',
        transport: 'sse',
        headerNames: [],
        headersEncrypted: null,
        allowedTools: null,
        requireApproval: 'never',
      });
      await store.createMcpServer(second);
      await store.createMcpServer(first);
      await store.createMcpServer(mcpServer(bob.id, { name: first.name }));
      expect(await store.getMcpServer(alice.id, first.id)).toEqual(first);
      expect(await store.getMcpServer(alice.id, second.id)).toEqual(second);
      expect(await store.listMcpServers(alice.id)).toEqual([first, second]);
      expect(await store.getMcpServer(bob.id, first.id)).toBeNull();
      expect(await harness.reopen().then((store) => store.getMcpServer(alice.id, first.id))).toEqual(first);
    });

    it('refuses a second server of one name for one user, and a server of an unknown user', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const server = mcpServer(alice.id);
      await store.createMcpServer(server);
      await expectMemgateError(store.createMcpServer(mcpServer(alice.id, { name: server.name })), 'CONFLICT');
      await expectMemgateError(store.createMcpServer(mcpServer('user-missing')), 'NOT_FOUND');
      expect(await store.listMcpServers(alice.id)).toEqual([server]);
    });

    it('updates the given fields only, refuses a name clash without a change, and not another user’s', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const server = mcpServer(alice.id);
      const other = mcpServer(alice.id, { createdAt: '2026-03-02T10:00:00.000Z' });
      await store.createMcpServer(server);
      await store.createMcpServer(other);
      const patch = {
        url: 'https://other.example.com/sse',
        transport: 'sse' as const,
        allowedTools: null,
        updatedAt: '2026-03-05T10:00:00.000Z',
      };
      const updated = await store.updateMcpServer(alice.id, server.id, patch);
      expect(updated).toEqual({ ...server, ...patch });
      expect(await store.getMcpServer(alice.id, server.id)).toEqual(updated);
      await expectMemgateError(
        store.updateMcpServer(alice.id, server.id, { name: other.name, updatedAt: '2026-03-06T10:00:00.000Z' }),
        'CONFLICT',
      );
      expect(await store.getMcpServer(alice.id, server.id)).toEqual(updated);
      expect(await store.updateMcpServer(bob.id, server.id, { name: 'x', updatedAt: patch.updatedAt })).toBeNull();
      const cleared = await store.updateMcpServer(alice.id, server.id, {
        headerNames: [],
        headersEncrypted: null,
        requireApproval: 'always',
        updatedAt: '2026-03-07T10:00:00.000Z',
      });
      expect(cleared).toMatchObject({ headerNames: [], headersEncrypted: null, requireApproval: 'always' });
    });

    it('deletes a user’s server (not another user’s), and a user’s servers go with the user', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const server = mcpServer(alice.id);
      const kept = mcpServer(alice.id);
      await store.createMcpServer(server);
      await store.createMcpServer(kept);
      expect(await store.deleteMcpServer(bob.id, server.id)).toBe(false);
      expect(await store.deleteMcpServer(alice.id, server.id)).toBe(true);
      expect(await store.deleteMcpServer(alice.id, server.id)).toBe(false);
      expect(await store.listMcpServers(alice.id)).toEqual([kept]);
      await store.deleteUser(alice.id);
      expect(await store.getMcpServer(alice.id, kept.id)).toBeNull();
    });

    it('attaches MCP tools to an agent (read with the agent, replaced whole), never to another user’s agent', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const agent = await store.createAgent(newAgent(alice.id));
      expect(agent.mcpTools).toEqual([]);
      expect((await store.getAgent(alice.id, agent.id))?.mcpTools).toEqual([]);
      const tools = [
        { serverId: 'mcp-a', tool: 'search' },
        { serverId: 'mcp-b', tool: null },
      ];
      expect(await store.setAgentMcpTools(alice.id, agent.id, tools)).toBe(true);
      expect((await store.getAgent(alice.id, agent.id))?.mcpTools).toEqual(tools);
      expect((await store.listAgents(alice.id)).find((candidate) => candidate.id === agent.id)?.mcpTools).toEqual(
        tools,
      );
      expect(await store.setAgentMcpTools(bob.id, agent.id, [])).toBe(false);
      expect(await store.setAgentMcpTools(alice.id, 'agent-missing', [])).toBe(false);
      const reopened = await harness.reopen();
      expect((await reopened.getAgent(alice.id, agent.id))?.mcpTools).toEqual(tools);
      expect(await reopened.setAgentMcpTools(alice.id, agent.id, [{ serverId: 'mcp-c', tool: 'fetch' }])).toBe(true);
      expect((await reopened.getAgent(alice.id, agent.id))?.mcpTools).toEqual([{ serverId: 'mcp-c', tool: 'fetch' }]);
      const updated = await reopened.updateAgent(alice.id, agent.id, { name: 'renamed' });
      expect(updated?.mcpTools).toEqual([{ serverId: 'mcp-c', tool: 'fetch' }]);
    });
  });
}
