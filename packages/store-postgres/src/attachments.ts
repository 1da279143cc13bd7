import type { StoredMessage } from '@memgate/core';
import type { PoolClient } from 'pg';
import { storable } from './postgres-errors.ts';

const INSERT = {
  name: 'memgate_insert_attachment',
  text: `INSERT INTO attachments (message_seq, agent_id, position, text_offset, detail, url, media_type, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
};

/** Writes the attachments of messages just inserted (one row each: a step rarely holds more than one or two). */
export async function writeAttachments(client: PoolClient, messages: StoredMessage[]): Promise<void> {
  for (const message of messages) {
    for (const [position, attachment] of (message.attachments ?? []).entries()) {
      const data = attachment.data === null ? null : Buffer.from(attachment.data);
      await client.query({
        ...INSERT,
        values: [
          message.seq,
          message.agentId,
          position,
          attachment.textOffset,
          attachment.detail,
          storable(attachment.url),
          attachment.mediaType,
          data,
        ],
      });
    }
  }
}
