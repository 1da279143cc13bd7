import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { useClientHarness } from './client-harness.ts';

// Needs `store: false` ephemeral turns (issue 11, item 1): what chat UIs send for a title.
const harness = useClientHarness();

it('openai-node with store: false answers from the history but leaves it and memory byte-identical', async () => {
  const client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
  const agentId = await harness.setup.createAgent({ name: 'ephemeral' });
  harness.upstream.script(sendMessage('Nice to meet you, Ada.'));
  await client.chat.completions.create({ model: agentId, messages: [{ role: 'user', content: 'I am Ada.' }] });
  const snapshot = async () => {
    const read = (path: string) =>
      fetch(`${harness.baseURL}/agents/${agentId}/${path}`, { headers: { authorization: `Bearer ${harness.apiKey}` } });
    return `${await (await read('messages?limit=1000')).text()}\n${await (await read('memory')).text()}`;
  };
  const before = await snapshot();

  harness.upstream.script(
    {
      toolCalls: [
        {
          name: 'core_memory_append',
          arguments: { label: 'human', content: 'Likes titles.', request_heartbeat: true },
        },
      ],
    },
    sendMessage('Meeting Ada'),
  );
  const title = await client.chat.completions.create({
    model: agentId,
    store: false,
    messages: [{ role: 'user', content: 'Write a 2-word title for this chat.' }],
  });

  expect(title.choices[0]?.message.content).toBe('Meeting Ada');
  // The agent read its history: the earlier turn was in the upstream prompt.
  const prompt = JSON.stringify(harness.upstream.requests.at(-2)?.body.messages);
  expect(prompt).toContain('I am Ada.');
  expect(await snapshot()).toBe(before);
});
