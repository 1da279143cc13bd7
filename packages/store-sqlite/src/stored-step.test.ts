import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewMessage } from '@memgate/core';
import { newAgent, newUser, userMessage } from '@memgate/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-stored-step-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The writer answers a commitStep with seqs alone; the stored messages are rebuilt from the step
// sent. On a file (the writer thread) and in memory (this thread), they must be what the store holds.
describe.each([
  ['a database file (writer thread)', () => join(mkdtempSync(join(root, 'case-')), 'memgate.sqlite')],
  ['an in-memory database', () => ':memory:'],
])('commitStep on %s', (_, filename) => {
  it('answers the stored messages as the store reads them back: storable text, seqs, plain bytes', async () => {
    const store = new SqliteStore({ filename: filename() });
    try {
      await store.migrate();
      const user = await store.createUser(newUser());
      const agent = await store.createAgent(newAgent(user.id));
      const bytes = Buffer.from([137, 80, 78, 71, 1, 2, 3]);
      const messages: NewMessage[] = [
        userMessage(agent.id, 'with a NUL \u0000 and an image', {
          tokenCount: 9,
          attachments: [{ textOffset: 4, detail: null, url: null, mediaType: 'image/png', data: bytes }],
        }),
        {
          ...userMessage(agent.id, ''),
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call-1', type: 'function', function: { name: 'f\u0000', arguments: '{"a":"\u0000"}' } }],
        },
      ];
      const first = await store.commitStep({ agentId: agent.id, messages });
      const second = await store.commitStep({ agentId: agent.id, messages: [userMessage(agent.id, 'next')] });
      const stored = [...first, ...second];
      expect(stored).toEqual(await store.listMessages(agent.id, { limit: 10 }));
      expect(stored.map((message) => message.seq)).toEqual(
        [...stored.map((message) => message.seq)].sort((a, b) => a - b),
      );
      expect(stored[0]?.content).toBe('with a NUL \uFFFD and an image');
      expect(stored[1]?.toolCalls?.[0]?.function).toEqual({ name: 'f\uFFFD', arguments: '{"a":"\uFFFD"}' });
      const data = stored[0]?.attachments?.[0]?.data;
      // A copy, as the writer thread's structured clone gave and as a read gives: not the caller's Buffer
      // (which `:memory:` used to hand back, with no clone on its way).
      expect(Buffer.isBuffer(data)).toBe(false);
      expect(data).toEqual(new Uint8Array(bytes));
      // The caller's step is left as it was.
      expect(messages[0]?.content).toContain('\u0000');
    } finally {
      await store.close();
    }
  });
});
