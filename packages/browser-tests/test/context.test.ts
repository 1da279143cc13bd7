import { describe, expect, it } from 'vitest';
import { agentIdOf, createAndOpenAgent, openPanel, sendChatMessage, signIn, waitForReply } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

interface AgentContext {
  context_window: number;
  tokens: { system: number; tools: number; memory: number; summary: number; messages: number; total: number };
  thresholds: { memory_pressure: number; summarise: number };
}

/** A number as the page may print it: plain or with thousands separators. */
function spellings(value: number): string[] {
  return [...new Set([String(value), value.toLocaleString('en-US'), value.toLocaleString('en-GB')])];
}

describe('the context bar', () => {
  it('shows the numbers of REST GET /v1/agents/:id/context, after a turn too', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Measured');
    await sendChatMessage(page, 'Fill the context a little');
    await waitForReply(page, 'Echo: Fill the context a little');
    await openPanel(page, 'Context');
    const meter = page.getByRole('meter', { name: 'Context window' });
    await meter.waitFor();
    const context = await env.server.rest<AgentContext>(`/v1/agents/${agentIdOf(page)}/context`);
    await expect
      .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBe(context.tokens.total);
    expect(Number(await meter.getAttribute('aria-valuemax'))).toBe(context.context_window);
    const panel = page.getByRole('region', { name: 'Agent state' });
    // biome-ignore lint/performance/useDomNodeTextContent: the numbers a person reads
    const shown = await panel.innerText();
    for (const part of ['system', 'tools', 'memory', 'messages'] as const) {
      const value = context.tokens[part];
      expect(
        spellings(value).some((spelling) => shown.includes(spelling)),
        `${part} ${value} in ${shown}`,
      ).toBe(true);
    }
    expect(spellings(context.context_window).some((spelling) => shown.includes(spelling))).toBe(true);
  });
});
