import { describe, expect, it } from 'vitest';
import { createAndOpenAgent, sendChatMessage, signIn, waitForReply } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

/** "request id <id>" as the console prints it; the id itself. */
const REQUEST_ID = /request id\s+(\S+?)\)?$/m;

describe('server errors', () => {
  it('shows the message and request id of a failed query (an agent that does not exist)', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await page.goto(`${env.server.consoleUrl}#/agents/agent-00000000-0000-0000-0000-000000000000/memory`);
    const alert = page.getByRole('alert').filter({ hasText: /not found|no agent|does not exist/i });
    await alert.first().waitFor();
    expect(await alert.first().textContent()).toMatch(REQUEST_ID);
  });

  it('shows the message and request id of a failed turn (the upstream answered 500)', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Unlucky');
    env.server.upstream.script({ error: { status: 500 } });
    await sendChatMessage(page, 'This turn fails upstream');
    const alert = page.getByRole('alert').filter({ hasText: /upstream/i });
    await alert.first().waitFor();
    const text = (await alert.first().textContent()) ?? '';
    expect(text).toMatch(REQUEST_ID);
    // The console stays usable: the next turn works.
    await sendChatMessage(page, 'And this one works');
    await waitForReply(page, 'Echo: And this one works');
  });
});
