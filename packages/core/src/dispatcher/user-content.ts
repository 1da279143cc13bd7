import { parseImageSource } from '../attachments/image-source.ts';
import type { Attachment } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError } from '../errors/validation.ts';
import type { UserContent } from '../schemas/content-part-schemas.ts';

/** `MEMGATE_MAX_ATTACHMENT_BYTES` when not configured: 5 MiB of decoded image data. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** A user message's content as memgate stores it: its text, and its images as attachments. */
export interface UserMessageContent {
  text: string;
  attachments: Attachment[];
}

/**
 * Splits a user message's content into the stored text (its text parts joined by newlines, which
 * is what search indexes) and attachments that remember where in that text they stood. A `data:`
 * image above `maxAttachmentBytes` (decoded) is refused with 413 before anything is stored.
 */
export function userMessageContent(
  content: UserContent,
  loc: (string | number)[],
  maxAttachmentBytes: number,
): UserMessageContent {
  if (typeof content === 'string') return { text: content, attachments: [] };
  if (!content.some((part) => part.type === 'image_url')) {
    return {
      text: content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('\n'),
      attachments: [],
    };
  }
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  let length = 0;
  content.forEach((part, index) => {
    if (part.type === 'text') {
      if (part.text === '') return;
      length += (texts.length > 0 ? 1 : 0) + part.text.length;
      texts.push(part.text);
      return;
    }
    if (part.type !== 'image_url') throw fieldError([...loc, index, 'type'], `not supported: ${part.type} parts.`);
    const source = parseImageSource(part.image_url.url);
    const detail = part.image_url.detail ?? null;
    // The schema checked the URL; a failure here would be a bug, not bad input.
    if (source.kind === 'invalid') throw new Error(source.reason);
    if (source.kind === 'url') {
      attachments.push({ textOffset: length, detail, url: source.url, mediaType: null, data: null });
      return;
    }
    if (source.byteSize > maxAttachmentBytes) {
      const path = [...loc, index, 'image_url', 'url'].slice(1).join('.');
      throw new MemgateError(
        'PAYLOAD_TOO_LARGE',
        `The image at ${path} is ${source.byteSize} bytes; images may be at most ${maxAttachmentBytes} bytes ` +
          '(MEMGATE_MAX_ATTACHMENT_BYTES).',
        { param: path, detailCode: 'attachment_too_large' },
      );
    }
    const data = new Uint8Array(Buffer.from(source.base64, 'base64'));
    attachments.push({ textOffset: length, detail, url: null, mediaType: source.mediaType, data });
  });
  return { text: texts.join('\n'), attachments };
}
