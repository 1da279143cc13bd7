import type { Attachment, ImageDetail, StoredMessage } from '../domain/types.ts';

/** A content part as OpenAI's Chat Completions API writes it (the ones memgate stores). */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: ImageDetail } };

/** The URL to send or show for an attachment: its URL, or its bytes as a base64 data URI. */
export function attachmentUrl(attachment: Attachment): string {
  if (attachment.url !== null) return attachment.url;
  return `data:${attachment.mediaType};base64,${Buffer.from(attachment.data ?? []).toString('base64')}`;
}

export function imagePart(attachment: Attachment): ContentPart {
  const image_url: { url: string; detail?: ImageDetail } = { url: attachmentUrl(attachment) };
  if (attachment.detail !== null) image_url.detail = attachment.detail;
  return { type: 'image_url', image_url };
}

/**
 * The message's content as parts: its text cut at each image's offset, images in between. Text
 * parts the client sent next to each other come back as one (joined by a newline, as stored).
 * Null for a message without attachments, whose content stays a string.
 */
export function messageContentParts(message: Pick<StoredMessage, 'content' | 'attachments'>): ContentPart[] | null {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return null;
  const text = message.content ?? '';
  const parts: ContentPart[] = [];
  let cursor = 0;
  let previous = -1;
  for (const attachment of attachments) {
    const offset = Math.min(Math.max(attachment.textOffset, cursor), text.length);
    if (offset > cursor) parts.push({ type: 'text', text: text.slice(cursor, offset) });
    // Text parts on both sides of an image were joined with one newline when stored (see
    // `joinTextParts`): that newline is not content. Images side by side share one offset and one newline.
    const separated = offset > 0 && offset < text.length && attachment.textOffset !== previous;
    cursor = separated && text[offset] === '\n' ? offset + 1 : offset;
    previous = attachment.textOffset;
    parts.push(imagePart(attachment));
  }
  if (cursor < text.length) parts.push({ type: 'text', text: text.slice(cursor) });
  return parts;
}

/** A short text stand-in for an image, for summaries and transcripts. */
export function imagePlaceholder(attachment: Attachment): string {
  if (attachment.url !== null) return `[image: ${clipUrl(attachment.url)}]`;
  const bytes = attachment.data?.byteLength ?? 0;
  const size = bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
  return `[image: uploaded ${attachment.mediaType ?? 'image'}, ${size}]`;
}

function clipUrl(url: string): string {
  return url.length <= 200 ? url : `${url.slice(0, 200)}…`;
}

/** The message's text with each image replaced by its placeholder, in place. */
export function textWithPlaceholders(message: Pick<StoredMessage, 'content' | 'attachments'>): string {
  const attachments = message.attachments ?? [];
  const text = message.content ?? '';
  if (attachments.length === 0) return text;
  const pieces: string[] = [];
  let cursor = 0;
  for (const attachment of attachments) {
    const offset = Math.min(Math.max(attachment.textOffset, cursor), text.length);
    if (offset > cursor) pieces.push(text.slice(cursor, offset).trim());
    cursor = offset;
    pieces.push(imagePlaceholder(attachment));
  }
  if (cursor < text.length) pieces.push(text.slice(cursor).trim());
  return pieces.filter(Boolean).join(' ');
}
