import { z } from 'zod';
import { parseImageSource } from '../attachments/image-source.ts';
import { storedText } from './json-limits.ts';

const IMAGE_DETAILS = ['auto', 'low', 'high'] as const;

function isImageDetail(value: string): value is (typeof IMAGE_DETAILS)[number] {
  return (IMAGE_DETAILS as readonly string[]).includes(value);
}

export const textPartSchema = z.strictObject({ type: z.literal('text'), text: storedText() });

/** `{ type: "image_url", image_url: { url, detail? } }`; the URL is checked here, so errors name the field. */
export const imagePartSchema = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({
    url: storedText().superRefine((url, context) => {
      const source = parseImageSource(url);
      if (source.kind === 'invalid') context.addIssue({ code: 'custom', message: source.reason });
    }),
    // Checked by refinement rather than z.enum: an enum failure would make the content union
    // report "Invalid input" at `content` instead of naming this field.
    detail: z
      .string()
      .nullish()
      .superRefine((detail, context) => {
        if (detail != null && !isImageDetail(detail)) {
          context.addIssue({ code: 'custom', message: `detail must be "auto", "low" or "high"; got "${detail}".` });
        }
      })
      .transform((detail) => (detail != null && isImageDetail(detail) ? detail : undefined)),
  }),
});

const REFUSED_PART_REASONS: Record<string, string> = {
  input_audio: 'not supported: input_audio parts (memgate stores and forwards text and images only).',
  file: 'not supported: file parts (memgate stores and forwards text and images only; send an image_url part for an image).',
  refusal: 'not supported: refusal parts belong to assistant messages.',
  image_url: 'not supported: image_url parts are only allowed in user messages, as in OpenAI’s API.',
};

/** Parts OpenAI knows but this message role cannot carry: recognised, so the error says why. */
function refusedParts<const Types extends readonly [string, ...string[]]>(types: Types) {
  return z
    .object({ type: z.enum(types) })
    .loose()
    .superRefine((part, context) => {
      context.addIssue({
        code: 'custom',
        path: ['type'],
        message: REFUSED_PART_REASONS[part.type] ?? 'not supported.',
      });
    });
}

/** Content of a user message: text, or text and image parts. */
export const userContentSchema = z.union([
  storedText(),
  z.array(
    z.discriminatedUnion('type', [textPartSchema, imagePartSchema, refusedParts(['input_audio', 'file', 'refusal'])]),
  ),
]);

/** Content of system, developer and tool messages: text only, as OpenAI allows. */
export const textContentSchema = z.union([
  storedText(),
  z.array(
    z.discriminatedUnion('type', [textPartSchema, refusedParts(['image_url', 'input_audio', 'file', 'refusal'])]),
  ),
]);

export type UserContent = z.output<typeof userContentSchema>;
export type UserContentPart = Exclude<UserContent, string>[number];
