import type { Attachment, ImageDetail, NewMessage, StoredMessage } from '@memgate/core';
import type { Statements } from './statements.ts';

/** An attachments row as SQLite returns it. */
export interface AttachmentRow {
  message_seq: number;
  agent_id: string;
  position: number;
  text_offset: number;
  detail: string | null;
  url: string | null;
  media_type: string | null;
  data: Uint8Array | null;
}

export function writeAttachments(sql: Statements, message: NewMessage, seq: number): void {
  for (const [position, attachment] of (message.attachments ?? []).entries()) {
    sql.insertAttachment.run({
      message_seq: seq,
      agent_id: message.agentId,
      position,
      text_offset: attachment.textOffset,
      detail: attachment.detail,
      url: attachment.url,
      media_type: attachment.mediaType,
      data: attachment.data,
    });
  }
}

export function toAttachment(row: AttachmentRow): Attachment {
  return {
    textOffset: row.text_offset,
    // The CHECK constraint on attachments.detail keeps this cast honest.
    detail: row.detail as ImageDetail | null,
    url: row.url,
    mediaType: row.media_type,
    data: row.data === null ? null : new Uint8Array(row.data),
  };
}

/** Gives each message its attachments (one range read over the messages' seqs); returns the same array. */
export function withAttachments(sql: Statements, agentId: string, messages: StoredMessage[]): StoredMessage[] {
  const first = messages[0];
  const last = messages.at(-1);
  if (!first || !last) return messages;
  const rows = sql.attachmentsBetween.all(agentId, first.seq, last.seq);
  if (rows.length === 0) return messages;
  const bySeq = new Map<number, Attachment[]>();
  for (const row of rows) {
    const list = bySeq.get(row.message_seq) ?? [];
    list.push(toAttachment(row));
    bySeq.set(row.message_seq, list);
  }
  for (const message of messages) {
    const attachments = bySeq.get(message.seq);
    if (attachments) message.attachments = attachments;
  }
  return messages;
}
