import { describe, expect, it } from 'vitest';
import { userMessageContent } from '../dispatcher/user-content.ts';
import type { UserContent } from '../schemas/content-part-schemas.ts';
import { messageContentParts, textWithPlaceholders } from './content-parts.ts';

const png = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]).toString('base64')}`;
const image = (url: string) => ({ type: 'image_url' as const, image_url: { url, detail: undefined } });
const text = (value: string) => ({ type: 'text' as const, text: value });

function roundTrip(content: UserContent) {
  const { text: stored, attachments } = userMessageContent(content, ['body', 'messages', 0, 'content'], 1024);
  return { stored, parts: messageContentParts({ content: stored, attachments }) };
}

describe('content parts as stored and shown', () => {
  it.each([
    ['text then image', [text('Look'), image('https://a.example/x.png')]],
    ['image then text', [image(png), text('What is it?')]],
    ['text, image, text', [text('before'), image(png), text('after')]],
    ['two images side by side between texts', [text('a'), image(png), image('https://a.example/y.png'), text('\nb')]],
    ['text with newlines around an image', [text('line 1\nline 2'), image(png), text('line 3\n')]],
  ])('gives back %s exactly as sent', (_label, content) => {
    expect(roundTrip(content).parts).toEqual(content);
  });

  it('stores the text parts joined, which is what search indexes', () => {
    expect(roundTrip([text('a'), image(png), text('b')]).stored).toBe('a\nb');
  });

  it('merges text parts that were next to each other, and drops empty ones', () => {
    expect(roundTrip([text('a'), text('b'), text(''), image(png)]).parts).toEqual([text('a\nb'), image(png)]);
  });

  it('leaves a message without images as plain text', () => {
    expect(roundTrip([text('a'), text('b')])).toEqual({ stored: 'a\nb', parts: null });
  });

  it('writes placeholders where the images were', () => {
    const { text: stored, attachments } = userMessageContent(
      [text('Pets:'), image('https://a.example/cat.png'), image(png), text('cute?')],
      ['body'],
      1024,
    );
    expect(textWithPlaceholders({ content: stored, attachments })).toBe(
      'Pets: [image: https://a.example/cat.png] [image: uploaded image/png, 10 bytes] cute?',
    );
  });

  it('refuses a data image over the limit with 413 naming the part', () => {
    expect(() => userMessageContent([text('x'), image(png)], ['body', 'messages', 2, 'content'], 9)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', param: 'messages.2.content.1.image_url.url' }),
    );
  });
});
