import { z } from 'zod';
import { messageContentParts } from '../attachments/content-parts.ts';
import { parseImageSource } from '../attachments/image-source.ts';
import { DEFAULT_MAX_ATTACHMENT_BYTES, userMessageContent } from '../dispatcher/user-content.ts';
import type { Attachment, ImageDetail, StoredMessage } from '../domain/types.ts';
import type { UserContentPart } from '../schemas/content-part-schemas.ts';
import type { ImportNotes } from './import-notes.ts';

/** Letta's `ImageContent.source`: a URL, or base64 data (`letta` sources carry the data too). */
const imageSourceSchema = z.looseObject({
  type: z.string(),
  url: z.string().nullish(),
  media_type: z.string().nullish(),
  data: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
});

/** A Letta content part memgate keeps in a user message: text, or an image. */
export type LettaContentPart =
  | { type: 'text'; text: string }
  | {
      type: 'image';
      source:
        | { type: 'url'; url: string; detail?: ImageDetail }
        | { type: 'base64'; media_type: string; data: string; detail?: ImageDetail };
    };

/**
 * A user message's Letta parts as memgate stores them: its text parts joined as the chat routes
 * join them, its images as attachments at their place in that text. An image memgate would refuse
 * from a client (not PNG/JPEG/GIF/WebP, malformed, too large) is counted in the warnings instead.
 * URLs are kept as they are and never fetched.
 */
export function importUserContent(
  parts: { type?: string | null; text?: string | null; source?: unknown }[],
  fileAgentId: string,
  notes: ImportNotes,
): { text: string; attachments: Attachment[] } {
  const content: UserContentPart[] = [];
  for (const part of parts) {
    const type = part.type ?? 'text';
    if (type === 'text' && typeof part.text === 'string') {
      content.push({ type: 'text', text: notes.text(part.text) });
      continue;
    }
    const image = type === 'image' ? imageUrl(part.source) : null;
    if (image) content.push({ type: 'image_url', image_url: image });
    else if (type === 'image') notes.count(`Agent ${fileAgentId}: images memgate cannot store were not imported`);
    else notes.count(`Agent ${fileAgentId}: message content parts of type "${type}" were not imported`);
  }
  return userMessageContent(content, ['body'], Number.POSITIVE_INFINITY);
}

function imageUrl(source: unknown): { url: string; detail: ImageDetail | undefined } | null {
  const parsed = imageSourceSchema.safeParse(source);
  if (!parsed.success) return null;
  const { url, media_type: mediaType, data, detail } = parsed.data;
  const candidate = url ?? (mediaType && data ? `data:${mediaType};base64,${data}` : null);
  if (!candidate) return null;
  const checked = parseImageSource(candidate);
  if (checked.kind === 'invalid') return null;
  if (checked.kind === 'data' && checked.byteSize > DEFAULT_MAX_ATTACHMENT_BYTES) return null;
  return { url: candidate, detail: detail ?? undefined };
}

/** A message's content as Letta's parts: text, and its images (as URL or base64 sources) where they stood. */
export function exportContent(message: Pick<StoredMessage, 'content' | 'attachments'>): LettaContentPart[] {
  const parts = messageContentParts(message);
  if (!parts) return message.content === null ? [] : [{ type: 'text', text: message.content }];
  const attachments = [...(message.attachments ?? [])];
  return parts.map((part): LettaContentPart => {
    if (part.type === 'text') return part;
    // messageContentParts yields the images in the attachments' order.
    const attachment = attachments.shift();
    const detail = attachment?.detail ? { detail: attachment.detail } : {};
    if (!attachment || attachment.url !== null) {
      return { type: 'image', source: { type: 'url', url: attachment?.url ?? part.image_url.url, ...detail } };
    }
    const data = Buffer.from(attachment.data ?? []).toString('base64');
    return {
      type: 'image',
      source: { type: 'base64', media_type: attachment.mediaType ?? 'image/png', data, ...detail },
    };
  });
}
