import { describe, expect, it } from 'vitest';
import { agentIdOf, block, createAndOpenAgent, signIn } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

interface MemoryBlocks {
  blocks: Array<{ label: string; value: string; version: number }>;
}

describe('editing a core block', () => {
  it('saves an edit of the persona block, as REST then reads it', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Editable');
    const persona = block(page, 'persona');
    await persona.getByRole('button', { name: /^Edit/ }).click();
    const editor = persona.getByRole('textbox');
    await editor.fill('I am a careful archivist who loves tea.');
    await persona.getByRole('button', { name: /^Save/ }).click();
    // The editor closes once saved, and the block shows the new value.
    await persona.getByRole('textbox').waitFor({ state: 'detached' });
    await persona.getByText('I am a careful archivist who loves tea.').waitFor();
    const memory = await env.server.rest<MemoryBlocks>(`/v1/agents/${agentIdOf(page)}/memory`);
    expect(memory.blocks.find((entry) => entry.label === 'persona')?.value).toBe(
      'I am a careful archivist who loves tea.',
    );
  });

  it('tells a conflict when the block changed elsewhere while it was being edited, and overwrites nothing', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Contested');
    const persona = block(page, 'persona');
    await persona.getByRole('button', { name: /^Edit/ }).click();
    await persona.getByRole('textbox').fill('Written in the console.');
    const agentId = agentIdOf(page);
    await env.server.rest(`/v1/agents/${agentId}/memory/persona`, {
      method: 'PUT',
      body: { value: 'Written through REST.' },
    });
    await persona.getByRole('button', { name: /^Save/ }).click();
    const alert = page.getByRole('alert').filter({ hasText: /changed|conflict|modified|newer/i });
    await alert.first().waitFor();
    const memory = await env.server.rest<MemoryBlocks>(`/v1/agents/${agentId}/memory`);
    expect(memory.blocks.find((entry) => entry.label === 'persona')?.value).toBe('Written through REST.');
  });
});
