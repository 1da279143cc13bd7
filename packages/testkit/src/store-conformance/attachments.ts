import type { Attachment, Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { pngBytes } from '../image-fixtures.ts';
import { expectMemgateError, ids, seedAgent, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

const urlImage: Attachment = {
  textOffset: 0,
  detail: 'low',
  url: 'https://images.example.com/tabby-cat.png?size=large',
  mediaType: null,
  data: null,
};
const dataImage = (size: number): Attachment => ({
  textOffset: 13,
  detail: null,
  url: null,
  mediaType: 'image/png',
  data: pngBytes(size),
});

async function attachmentsOf(store: Store, agentId: string) {
  return (await store.listMessages(agentId, { limit: 100 })).flatMap((message) => message.attachments ?? []);
}

/** The images of user messages: written with their message, read back with it, byte for byte. */
export function describeAttachments(harness: StoreHarness): void {
  describe('attachments', () => {
    it('reads a message’s images back with it, in order, from the history and the context window', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const withImages = userMessage(agent.id, 'Look at this\nand this', {
        attachments: [urlImage, dataImage(300_000)],
      });
      const plain = userMessage(agent.id, 'no picture');
      const stored = await store.commitStep({ agentId: agent.id, messages: [withImages, plain] });
      expect(stored[0]?.attachments).toEqual([urlImage, dataImage(300_000)]);
      expect(stored[1]).not.toHaveProperty('attachments');

      const history = await store.listMessages(agent.id, { limit: 10 });
      expect(history).toEqual(stored);
      expect(history[0]?.attachments?.[1]?.data).toBeInstanceOf(Uint8Array);
      expect(await store.listContextMessages(agent.id)).toEqual(stored);
      // A page that starts after the message does not carry its images.
      const page = await store.listMessages(agent.id, { limit: 1 });
      expect(ids(page)).toEqual([plain.id]);
      expect(page[0]).not.toHaveProperty('attachments');
    });

    it('keeps each message’s images apart, and another agent’s out', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      await store.commitStep({
        agentId: other.id,
        messages: [userMessage(other.id, 'x', { attachments: [urlImage] })],
      });
      const first = userMessage(agent.id, 'first', { attachments: [dataImage(10)] });
      const second = userMessage(agent.id, 'second', { attachments: [{ ...urlImage, textOffset: 6 }] });
      await store.commitStep({ agentId: agent.id, messages: [first] });
      await store.commitStep({ agentId: agent.id, messages: [userMessage(agent.id, 'between'), second] });
      const read = await store.listContextMessages(agent.id);
      expect(read.map((message) => message.attachments ?? [])).toEqual([
        [dataImage(10)],
        [],
        [{ ...urlImage, textOffset: 6 }],
      ]);
    });

    it('stores no image of a step that fails', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [kept] = await store.commitStep({ agentId: agent.id, messages: [userMessage(agent.id, 'kept')] });
      await expectMemgateError(
        store.commitStep({
          agentId: agent.id,
          messages: [userMessage(agent.id, 'lost', { attachments: [dataImage(1000)] })],
          memory: [{ label: 'no-such-block', value: 'x' }],
        }),
        'NOT_FOUND',
      );
      expect(await attachmentsOf(store, agent.id)).toEqual([]);
      expect(ids(await store.listMessages(agent.id, { limit: 10 }))).toEqual([kept!.id]);
    });

    it('searches the text of a message, not its image URLs', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [message] = await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'What breed is it?', { attachments: [urlImage] })],
      });
      expect(ids((await store.searchMessages(agent.id, { terms: ['breed'], limit: 10, offset: 0 })).hits)).toEqual([
        message!.id,
      ]);
      expect((await store.searchMessages(agent.id, { terms: ['tabby'], limit: 10, offset: 0 })).total).toBe(0);
    });
  });
}
