import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { block, createAndOpenAgent, openPanel, sendChatMessage, signIn, waitForReply } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();
const WIDTH = 360;

/** The page is no wider than the screen: nothing to scroll sideways to. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The element lies within the screen's width. */
async function withinWidth(page: Page, name: string, role: 'button' | 'textbox'): Promise<boolean> {
  const box = await page.getByRole(role, { name, exact: true }).boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= WIDTH;
}

describe('a 360 px wide screen', () => {
  it('is usable: sign in, create an agent, chat, read memory, archival and context, without sideways scrolling', async () => {
    const { page } = await env.open({ viewport: { width: WIDTH, height: 740 } });
    expect(await horizontalOverflow(page)).toBe(0);
    await signIn(page, env.server.apiKey);
    expect(await horizontalOverflow(page)).toBe(0);
    await createAndOpenAgent(page, 'Pocket agent');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await withinWidth(page, 'Message', 'textbox')).toBe(true);
    expect(await withinWidth(page, 'Send', 'button')).toBe(true);
    await sendChatMessage(page, 'Hello from a small screen, my name is Ada');
    await waitForReply(page, 'Nice to meet you, Ada.');
    await block(page, 'human')
      .getByText(/Name: Ada/)
      .waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await openPanel(page, 'Archival');
    expect(await horizontalOverflow(page)).toBe(0);
    await openPanel(page, 'Context');
    await page.getByRole('meter', { name: 'Context window' }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
