import type { Locator, Page } from 'playwright-core';

/**
 * What the tests do in the console, by role and accessible name only (issue 19 lists the names:
 * they are the console's interface to tests and screen readers alike).
 */

/** Pastes the key into "API key", presses "Sign in" and waits for the agents screen. */
export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
}

/** "New agent", a name in "Name", submit; resolves once the agent's link is listed or its page is open. */
export async function createAgent(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New agent' }).click();
  const nameField = page.getByLabel('Name', { exact: true });
  await nameField.fill(name);
  await nameField.press('Enter');
  await page
    .getByRole('link', { name, exact: true })
    .or(page.getByRole('heading', { name, level: 1 }))
    .first()
    .waitFor();
}

/** Opens the agent's page from the agents list (navigating there first). */
export async function openAgent(page: Page, name: string): Promise<void> {
  const heading = page.getByRole('heading', { name, level: 1 });
  if (await heading.isVisible()) return;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('link', { name, exact: true }).click();
  await heading.waitFor();
}

/** Creates an agent and opens its page. */
export async function createAndOpenAgent(page: Page, name: string): Promise<void> {
  await createAgent(page, name);
  await openAgent(page, name);
}

/** The chat region of an agent's page. */
export function chat(page: Page): Locator {
  return page.getByRole('region', { name: 'Chat' });
}

/** Types into "Message" and presses "Send". */
export async function sendChatMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The core block region named after its label (e.g. "human"). */
export function block(page: Page, label: string): Locator {
  return page.getByRole('region', { name: label, exact: true });
}

/** Switches the side panel (Memory, Archival, Context) by its tab link. */
export async function openPanel(page: Page, name: 'Memory' | 'Archival' | 'Context'): Promise<void> {
  await page.getByRole('navigation', { name: 'Agent state' }).getByRole('link', { name, exact: true }).click();
}

/** The agent's id, from the page's hash route (`#/agents/:id/…`). */
export function agentIdOf(page: Page): string {
  const id = /#\/agents\/([^/?]+)/.exec(page.url())?.[1];
  if (!id) throw new Error(`not on an agent page: ${page.url()}`);
  return decodeURIComponent(id);
}

/** The agent's replies in the chat (articles named "Agent"). */
export function replies(page: Page): Locator {
  return chat(page).getByRole('article', { name: 'Agent' });
}

/** Waits until a reply shows `text`. */
export async function waitForReply(page: Page, text: string): Promise<void> {
  await replies(page).getByText(text).first().waitFor();
}

/**
 * How many times `text` is shown in the chat's messages (to tell a message shown twice). Rendered
 * text of the message articles only: not the screen reader's announcement of the last reply, not
 * a collapsed step (a tool call's arguments hold the reply too).
 */
export async function occurrences(page: Page, text: string): Promise<number> {
  const shown = await chat(page).getByRole('article').allInnerTexts();
  return shown.join('\n').split(text).length - 1;
}
