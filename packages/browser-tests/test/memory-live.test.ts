import { describe, expect, it } from 'vitest';
import { agentIdOf, block, createAndOpenAgent, sendChatMessage, signIn, waitForReply } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

describe('core memory, live', () => {
  it('updates the human block after "my name is …" in the console, and again after a REST turn', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Rememberer');
    const human = block(page, 'human');
    await human.waitFor();
    expect(await human.textContent()).not.toContain('Name: Ada');

    await sendChatMessage(page, 'Hi! My name is Ada');
    await human.getByText(/Name: Ada/).waitFor();

    // A turn from outside the console (REST): the block and the chat follow through agentEvents.
    await env.server.rest('/v1/chat/completions', {
      body: {
        model: 'memgate',
        user: agentIdOf(page),
        messages: [{ role: 'user', content: 'Sorry, my name is Grace' }],
      },
    });
    await human.getByText(/Name: Grace/).waitFor();
    expect(await human.textContent()).not.toContain('Name: Ada');
    await waitForReply(page, 'Nice to meet you, Grace.');

    const memory = await env.server.rest<{ blocks: Array<{ label: string; value: string }> }>(
      `/v1/agents/${agentIdOf(page)}/memory`,
    );
    expect(memory.blocks.find((entry) => entry.label === 'human')?.value).toContain('Name: Grace');
  });
});
