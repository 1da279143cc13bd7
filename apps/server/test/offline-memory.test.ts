import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChatCompletion, createMemgate, OfflineProvider } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'memgate-offline-memory-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('context management on the offline demo model', () => {
  it('summarises a long conversation with the offline model and still knows the name it stored', async () => {
    const store = SqliteStore.open(dataDir);
    await store.migrate();
    const memgate = createMemgate({ store, provider: new OfflineProvider() });
    const user = await memgate.admin.createUser({ name: 'offline' });
    const principal = { userId: user.id };
    const agent = await memgate.agents.create(principal, { context_window: 3000 });
    const say = async (content: string) => {
      const completion: ChatCompletion = await memgate.chat.complete(principal, {
        model: 'memgate-offline',
        user: agent.id,
        messages: [{ role: 'user', content }],
      });
      return completion.choices[0]?.message.content;
    };

    expect(await say('Hi! My name is Ada.')).toBe("Nice to meet you, Ada! I'll remember that.");
    for (let turn = 1; turn <= 60; turn++) {
      expect(await say(`Story part ${turn}: the lighthouse keeper climbed the stairs again and counted them.`)).toMatch(
        /^Echo: Story part/,
      );
    }
    expect(await say('What is my name?')).toBe('Your name is Ada.');

    const context = await memgate.memory.context(principal, agent.id);
    expect(context.summarised_messages).toBeGreaterThan(50);
    expect(context.summary).toMatch(/- The user said: Story part \d+/);
    expect(context.tokens.total).toBeLessThan(3000);
    await memgate.close();
  });
});

describe('structured output on the offline demo model', () => {
  it('refuses response_format with a 422 that says why, and stores nothing', async () => {
    const store = SqliteStore.open(join(dataDir, 'structured'));
    await store.migrate();
    const memgate = createMemgate({ store, provider: new OfflineProvider() });
    const principal = { userId: (await memgate.admin.createUser({ name: 'offline-json' })).id };
    const agent = await memgate.agents.create(principal, {});
    const failure = await memgate.chat
      .complete(principal, {
        model: 'memgate-offline',
        user: agent.id,
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'Answer in JSON.' }],
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 422, param: 'response_format.type' });
    expect((failure as Error).message).toMatch(/offline demo model/);
    expect(await store.listMessages(agent.id, { limit: 10 })).toEqual([]);
    await memgate.close();
  });
});
