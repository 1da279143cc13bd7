import { describe, expect, it } from 'vitest';
import {
  agentIdOf,
  chat,
  createAndOpenAgent,
  occurrences,
  sendChatMessage,
  signIn,
  waitForReply,
} from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

const PAYLOAD = '<img src=x onerror="window.__xss=1;alert(1)"> <script>window.__xss=2</script> **bold**';

describe('agent and user text is never HTML', () => {
  it('shows an XSS payload sent from the console and echoed by the agent as text, executing nothing', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Untrusted');
    await sendChatMessage(page, PAYLOAD);
    await waitForReply(page, 'Echo: <img src=x');
    // Shown as the characters typed (the user's message and the echo), with no element made of them.
    expect(await occurrences(page, '<img src=x onerror=')).toBe(2);
    expect(await chat(page).locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('does the same for a message that arrives live from a REST turn', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Untrusted live');
    await env.server.rest('/v1/chat/completions', {
      body: { model: 'memgate', user: agentIdOf(page), messages: [{ role: 'user', content: PAYLOAD }] },
    });
    await waitForReply(page, 'Echo: <img src=x');
    expect(await chat(page).locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Dialogs and CSP violations (an inline handler the browser refused) fail the test afterwards.
  });
});
