import type { NewMessage, StoredMessage } from '@memgate/core';
import { withSeq } from './row-mapping.ts';

/*
 * A turn step's way back from the writer thread. The writer needs the whole step to write
 * it, but the main thread already holds everything the stored messages are made of except what
 * SQLite gave them: their seqs. So the writer answers a commitStep with the seqs alone, and the
 * main thread builds the StoredMessage objects from the (storable) step it sent. That spares
 * cloning every message (content, tool calls, attachments) a second time, on the way back.
 */

/**
 * The stored form of the step's messages, as the writer used to build and post them back: the
 * message sent, with the seq SQLite gave it. Attachment bytes are copied into a plain Uint8Array,
 * as the structured clone did (and as a read returns them): a caller's Buffer is not handed back.
 */
export function storedMessages(
  messages: readonly NewMessage[],
  seqs: readonly number[],
  conversationId: string,
): StoredMessage[] {
  if (seqs.length !== messages.length) {
    throw new Error(`The writer stored ${seqs.length} messages of a step of ${messages.length}.`);
  }
  return messages.map((message, index) => {
    const stored = withSeq(message, seqs[index]!, conversationId);
    if (stored.attachments) {
      stored.attachments = stored.attachments.map((attachment) => ({
        ...attachment,
        data: attachment.data === null ? null : new Uint8Array(attachment.data),
      }));
    }
    return stored;
  });
}
