import { describe, expect, it } from 'vitest';
import {
  agentIdOf,
  createAndOpenAgent,
  occurrences,
  sendChatMessage,
  signIn,
  waitForReply,
} from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

describe('a dropped WebSocket', () => {
  it('reconnects, resubscribes, catches up on what it missed, and shows no message twice', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Resilient');
    const agentId = agentIdOf(page);
    await sendChatMessage(page, 'Before the drop');
    await waitForReply(page, 'Echo: Before the drop');
    const linkState = page.getByRole('status').filter({ hasText: /^(Live|Idle|Connecting…|Reconnecting…)$/ });
    await linkState.getByText('Live').waitFor();

    const upgradesBefore = env.server.upgrades();
    env.server.dropSockets();
    // While the socket is down (or coming back), a turn from outside stores a message the
    // console has to catch up on after resubscribing.
    await env.server.rest('/v1/chat/completions', {
      body: { model: 'memgate', user: agentId, messages: [{ role: 'user', content: 'While it was down' }] },
    });
    await expect.poll(() => env.server.upgrades(), { timeout: 20_000 }).toBeGreaterThan(upgradesBefore);
    await linkState.getByText('Live').waitFor({ timeout: 20_000 });
    await waitForReply(page, 'Echo: While it was down');

    // Live again: a new turn from outside arrives through the new subscription.
    await env.server.rest('/v1/chat/completions', {
      body: { model: 'memgate', user: agentId, messages: [{ role: 'user', content: 'After the reconnect' }] },
    });
    await waitForReply(page, 'Echo: After the reconnect');
    for (const text of ['Echo: Before the drop', 'Echo: While it was down', 'Echo: After the reconnect']) {
      expect(await occurrences(page, text), text).toBe(1);
    }
  });
});
