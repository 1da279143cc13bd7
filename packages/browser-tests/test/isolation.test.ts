import { describe, expect, it } from 'vitest';
import { createAgent, signIn } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

describe("another user's data", () => {
  it('is neither listed nor reachable by its URL: the server enforces it as for every client', async () => {
    const alice = await env.open();
    await signIn(alice.page, env.server.apiKey);
    await createAgent(alice.page, 'Alice private agent');
    const agents = await env.server.rest<{ data: Array<{ id: string; name: string }> }>('/v1/agents');
    const agentId = agents.data.find((agent) => agent.name === 'Alice private agent')?.id;
    expect(agentId).toBeTruthy();

    const bob = await env.open();
    await signIn(bob.page, env.server.otherApiKey);
    expect(await bob.page.getByRole('link', { name: 'Alice private agent' }).count()).toBe(0);
    await bob.page.goto(`${env.server.consoleUrl}#/agents/${encodeURIComponent(agentId ?? '')}/memory`);
    await bob.page
      .getByRole('alert')
      .filter({ hasText: /not found/i })
      .first()
      .waitFor();
    expect(await bob.page.getByRole('heading', { name: 'Alice private agent' }).count()).toBe(0);
    expect(await bob.page.getByRole('region', { name: 'persona' }).count()).toBe(0);
  });
});
