import { describe, expect, it } from 'vitest';
import { agentIdOf, createAndOpenAgent, openPanel, signIn } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

describe('archival memory', () => {
  it('inserts passages and finds one by searching', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Archivist');
    await openPanel(page, 'Archival');
    const panel = page.getByRole('region', { name: 'Agent state' });
    for (const passage of ['The launch code is tangerine.', 'Ada prefers green tea in the morning.']) {
      await panel
        .getByRole('textbox', { name: /passage|insert|new/i })
        .first()
        .fill(passage);
      await panel.getByRole('button', { name: /^(Insert|Add)/ }).click();
      await panel.getByText(passage).first().waitFor();
    }
    const passages = await env.server.rest<{ data: Array<{ content: string }> }>(
      `/v1/agents/${agentIdOf(page)}/archival`,
    );
    expect(passages.data.map((passage) => passage.content).sort()).toEqual([
      'Ada prefers green tea in the morning.',
      'The launch code is tangerine.',
    ]);

    await panel
      .getByRole('searchbox')
      .or(panel.getByRole('textbox', { name: /search/i }))
      .first()
      .fill('tangerine');
    await panel.getByRole('button', { name: /^Search/ }).click();
    const results = panel.getByRole('list', { name: /result/i }).or(panel.getByRole('region', { name: /result/i }));
    await results.first().getByText('The launch code is tangerine.').waitFor();
    expect(await results.first().getByText('Ada prefers green tea in the morning.').count()).toBe(0);
  });
});
