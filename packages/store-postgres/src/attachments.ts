import type { Attachment, ImageDetail, StoredMessage } from '@memgate/core';
import type { Pool, PoolClient } from 'pg';
import { storable } from './postgres-errors.ts';

interface AttachmentRow {
  /** BIGINT, as a string. */
  message_seq: string;
  position: number;
  text_offset: number;
  detail: string | null;
  url: string | null;
  media_type: string | null;
  data: Buffer | null;
}

const INSERT = {
  name: 'memgate_insert_attachment',
  text: `INSERT INTO attachments (message_seq, agent_id, position, text_offset, detail, url, media_type, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
};

const BETWEEN = {
  name: 'memgate_attachments_between',
  text: `SELECT message_seq, position, text_offset, detail, url, media_type, data FROM attachments
         WHERE agent_id = $1 AND message_seq BETWEEN $2 AND $3 ORDER BY message_seq, position`,
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

function toAttachment(row: AttachmentRow): Attachment {
  return {
    textOffset: row.text_offset,
    // The CHECK constraint on attachments.detail keeps this cast honest.
    detail: row.detail as ImageDetail | null,
    url: row.url,
    mediaType: row.media_type,
    // A plain Uint8Array, exactly as the SQLite store reads it.
    data: row.data === null ? null : new Uint8Array(row.data),
  };
}

/** Gives each message its attachments (one range read over the messages' seqs); returns the same array. */
export async function withAttachments(
  pool: Pool,
  agentId: string,
  messages: StoredMessage[],
): Promise<StoredMessage[]> {
  const first = messages[0];
  const last = messages.at(-1);
  if (!first || !last) return messages;
  const { rows } = await pool.query<AttachmentRow>({ ...BETWEEN, values: [agentId, first.seq, last.seq] });
  if (rows.length === 0) return messages;
  const bySeq = new Map<number, Attachment[]>();
  for (const row of rows) {
    const seq = Number(row.message_seq);
    const list = bySeq.get(seq) ?? [];
    list.push(toAttachment(row));
    bySeq.set(seq, list);
  }
  for (const message of messages) {
    const attachments = bySeq.get(message.seq);
    if (attachments) message.attachments = attachments;
  }
  return messages;
}
