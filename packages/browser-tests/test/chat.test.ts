import { sendMessage } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import {
  chat,
  createAgent,
  createAndOpenAgent,
  occurrences,
  replies,
  sendChatMessage,
  signIn,
  waitForReply,
} from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

const STORY = 'Once-upon a time there was an agent that remembered everything it was told, until THE-END.';

describe('agents and chat', () => {
  it('creates an agent, lists it as a link named after it, and opens it', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAgent(page, 'Listed agent');
    const agents = await env.server.rest<{ data: Array<{ name: string }> }>('/v1/agents');
    expect(agents.data.map((agent) => agent.name)).toContain('Listed agent');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('link', { name: 'Listed agent', exact: true }).click();
    await page.getByRole('heading', { name: 'Listed agent', level: 1 }).waitFor();
  });

  it('streams the reply into the chat token by token, then shows it once', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Storyteller');
    // Small pieces, spaced out: the reply takes a while to arrive, so a console that streams shows
    // a part of it first. The page is watched for that state (the beginning, not yet the end).
    env.server.upstream.script(sendMessage(STORY, { chunkSize: 4, chunkDelayMs: 40 }));
    const region = await chat(page).elementHandle();
    const partial = page.waitForFunction(
      ({ element }) => {
        const text = (element as HTMLElement).textContent ?? '';
        return text.includes('Once-upon') && !text.includes('THE-END');
      },
      { element: region },
      { polling: 'raf', timeout: 20_000 },
    );
    await sendChatMessage(page, 'Tell me a story');
    await partial;
    await waitForReply(page, STORY);
    expect(await occurrences(page, 'Once-upon')).toBe(1);
    expect(await occurrences(page, 'Tell me a story')).toBe(1);
  });

  it('shows the inner monologue and the memory tool call as steps of the reply', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await createAndOpenAgent(page, 'Stepper');
    await sendChatMessage(page, 'Hello, my name is Ada');
    await waitForReply(page, 'Nice to meet you, Ada.');
    const reply = replies(page).filter({ hasText: 'Nice to meet you, Ada.' });
    // Steps are collapsed: their summaries show, their content once opened.
    await reply.getByText('core_memory_append').first().waitFor();
    const thought = reply.getByText('The user told me their name: Ada.');
    expect(await thought.isVisible()).toBe(false);
    const monologues = reply.getByText('Inner monologue', { exact: true });
    for (let index = 0; index < (await monologues.count()); index++) await monologues.nth(index).click();
    await thought.waitFor();
  });
});
