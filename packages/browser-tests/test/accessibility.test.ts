import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousAxeViolations } from './axe.ts';
import { createAndOpenAgent, openPanel, sendChatMessage, signIn, waitForReply } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

/** Every screen of the console, each checked by axe-core as it is reached. */
async function scanEveryScreen(page: Page, agentName: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const scan = async (screen: string) => {
    found[screen] = await seriousAxeViolations(page);
  };
  await page.getByLabel('API key').waitFor();
  await scan('sign-in');
  await signIn(page, env.server.apiKey);
  await scan('agents');
  await page.getByRole('button', { name: 'New agent' }).click();
  await page.getByLabel('Name', { exact: true }).waitFor();
  await scan('new agent');
  await page.keyboard.press('Escape');
  await createAndOpenAgent(page, agentName);
  await sendChatMessage(page, 'Hello, my name is Ada');
  await waitForReply(page, 'Nice to meet you, Ada.');
  await scan('chat and memory');
  await openPanel(page, 'Archival');
  await scan('archival');
  await openPanel(page, 'Context');
  await page.getByRole('meter', { name: 'Context window' }).waitFor();
  await scan('context');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
  await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
  await scan('usage');
  return found;
}

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical violation on any screen, light theme', async () => {
    const { page } = await env.open({ colorScheme: 'light' });
    const found = await scanEveryScreen(page, 'Accessible light');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((screen) => [screen, []])));
  });

  it('finds none in the dark theme either', async () => {
    const { page } = await env.open({ colorScheme: 'dark' });
    const found = await scanEveryScreen(page, 'Accessible dark');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((screen) => [screen, []])));
  });

  it('reaches the chat input and Send by keyboard alone', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Keyboard');
    const message = page.getByLabel('Message', { exact: true });
    for (
      let presses = 0;
      presses < 40 && !(await message.evaluate((element) => element === document.activeElement));
      presses++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await message.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('Typed by keyboard');
    await page.keyboard.press('Tab');
    expect(
      await page
        .getByRole('button', { name: 'Send', exact: true })
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Enter');
    await waitForReply(page, 'Echo: Typed by keyboard');
  });
});
