/**
 * Saves a PNG of each console screen to apps/console/screenshots/, through the same harness as the
 * browser tests (a real server on port 0, the scripted upstream, Debian's chromium):
 * `pnpm --filter @memgate/browser-tests screenshots` (after `pnpm build`).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/chromium.ts';
import {
  block,
  createAgent,
  createAndOpenAgent,
  openPanel,
  replies,
  sendChatMessage,
  signIn,
  waitForReply,
} from '../test/console-actions.ts';
import { type ConsolePage, openConsole } from '../test/console-page.ts';
import { startConsoleServer } from '../test/console-server.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../apps/console/screenshots');
const DESKTOP = { width: 1280, height: 1000 };

const server = await startConsoleServer();
const browser = await launchChromium();
const tabs: ConsolePage[] = [];
mkdirSync(OUT, { recursive: true });

async function shoot(tab: ConsolePage, name: string): Promise<void> {
  // Nothing blinking mid-transition: wait for fonts and a settled frame.
  await tab.page.evaluate(() => document.fonts.ready.then(() => undefined));
  await tab.page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false, animations: 'disabled' });
  console.log(`saved ${name}.png`);
}

try {
  const tab = await openConsole(browser, server, { viewport: DESKTOP });
  tabs.push(tab);
  const { page } = tab;
  await page.getByLabel('API key').waitFor();
  await shoot(tab, 'sign-in');

  await signIn(page, server.apiKey);
  await createAgent(page, 'Research assistant');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
  await createAgent(page, 'Support bot');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('link', { name: 'Support bot', exact: true }).waitFor();
  await shoot(tab, 'agents');

  await page.getByRole('button', { name: 'New agent' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Travel planner');
  await shoot(tab, 'new-agent');
  await page.keyboard.press('Escape');

  await createAndOpenAgent(page, 'Ada’s assistant');
  await sendChatMessage(page, 'Hi! My name is Ada and I like green tea.');
  await waitForReply(page, 'Nice to meet you, Ada.');
  await sendChatMessage(page, 'What do you remember about me?');
  await waitForReply(page, 'Echo: What do you remember about me?');
  const reply = replies(page).filter({ hasText: 'Nice to meet you, Ada.' });
  const steps = reply.locator('summary');
  for (let index = 0; index < (await steps.count()); index++) await steps.nth(index).click();
  await block(page, 'human')
    .getByText(/Name: Ada/)
    .waitFor();
  await shoot(tab, 'chat-and-memory');

  const persona = block(page, 'persona');
  await persona.getByRole('button', { name: 'Edit' }).click();
  await persona
    .getByRole('textbox')
    .fill('I am a helpful assistant with a long-term memory. I keep notes on what Ada likes.');
  await shoot(tab, 'memory-edit');
  await persona.getByRole('button', { name: /^Save/ }).click();
  await persona.getByRole('textbox').waitFor({ state: 'detached' });

  await openPanel(page, 'Archival');
  for (const passage of ['Ada prefers green tea in the morning.', 'Ada is planning a trip to Lisbon in May.']) {
    await page.getByLabel('New passage').fill(passage);
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await page.getByRole('region', { name: 'Passages' }).getByText(passage).waitFor();
  }
  await page.getByLabel('Search archival memory').fill('tea');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('region', { name: 'Search results' }).getByText('green tea').first().waitFor();
  await shoot(tab, 'archival');

  await openPanel(page, 'Context');
  await page.getByRole('meter', { name: 'Context window' }).waitFor();
  await shoot(tab, 'context');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
  await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
  await page.getByRole('table').first().waitFor();
  await shoot(tab, 'usage');

  const dark = await openConsole(browser, server, { viewport: DESKTOP, colorScheme: 'dark' });
  tabs.push(dark);
  await signIn(dark.page, server.apiKey);
  await dark.page.getByRole('link', { name: 'Ada’s assistant', exact: true }).click();
  await waitForReply(dark.page, 'Nice to meet you, Ada.');
  await shoot(dark, 'chat-dark');

  const small = await openConsole(browser, server, { viewport: { width: 360, height: 780 } });
  tabs.push(small);
  await signIn(small.page, server.apiKey);
  await small.page.getByRole('link', { name: 'Ada’s assistant', exact: true }).click();
  await waitForReply(small.page, 'Echo: What do you remember about me?');
  await shoot(small, 'chat-360px');

  const problems = tabs.flatMap((each) => each.problems);
  if (problems.length > 0) throw new Error(`the console had problems:\n${problems.join('\n')}`);
} finally {
  await Promise.all(tabs.map((each) => each.close()));
  await browser.close();
  await server.close();
}
