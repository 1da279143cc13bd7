import type { LlmContentPart } from './provider.ts';

/** The text of a message's content: the text parts joined by newlines, images left out. */
export function contentTextOf(content: string | LlmContentPart[] | null): string {
  if (content === null || typeof content === 'string') return content ?? '';
  return content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** How many image parts the content holds. */
export function imageCountOf(content: string | LlmContentPart[] | null): number {
  return Array.isArray(content) ? content.filter((part) => part.type === 'image_url').length : 0;
}
