/** The image media types memgate accepts in `data:` URIs: the ones OpenAI's vision models read. */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Longest `http(s):` image URL accepted; URLs are stored as given, so they are bounded. */
export const MAX_IMAGE_URL_LENGTH = 8192;

/** An `image_url.url`, checked: a web URL, or the pieces of a base64 `data:` URI. */
export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'data'; mediaType: string; base64: string; byteSize: number }
  | { kind: 'invalid'; reason: string };

const DATA_URI = /^data:([a-z]+\/[a-z0-9.+-]+)((?:;[a-z0-9-]+=[^;,]*)*);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** The first bytes each media type starts with, so a mislabelled or garbled upload is refused. */
const SIGNATURES: Record<(typeof IMAGE_MEDIA_TYPES)[number], (head: Uint8Array) => boolean> = {
  'image/png': (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  'image/gif': (head) => startsWith(head, [0x47, 0x49, 0x46, 0x38]),
  'image/webp': (head) =>
    startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head.subarray(8), [0x57, 0x45, 0x42, 0x50]),
};

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function isImageMediaType(mediaType: string): mediaType is (typeof IMAGE_MEDIA_TYPES)[number] {
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType);
}

/**
 * Checks an `image_url.url` without decoding the whole image: `https:`/`http:` URLs are kept as
 * they are (memgate never fetches them); a `data:` URI must be canonical base64 of a PNG, JPEG,
 * GIF or WebP image, whose first bytes are checked against its media type.
 */
export function parseImageSource(url: string): ImageSource {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'data') return parseDataUri(url);
  if (scheme === 'https' || scheme === 'http') {
    if (url.length > MAX_IMAGE_URL_LENGTH) {
      return { kind: 'invalid', reason: `Image URLs may be at most ${MAX_IMAGE_URL_LENGTH} characters long.` };
    }
    if (!URL.canParse(url) || new URL(url).hostname === '') {
      return { kind: 'invalid', reason: 'The image URL is not a valid URL.' };
    }
    return { kind: 'url', url };
  }
  const got = scheme ? `"${scheme}:"` : 'no scheme';
  return {
    kind: 'invalid',
    reason: `An image URL must use https:, http: or a base64 data: URI; got ${got}.`,
  };
}

function parseDataUri(url: string): ImageSource {
  const header = DATA_URI.exec(url.slice(0, 256));
  if (!header?.[1]) {
    return {
      kind: 'invalid',
      reason: 'Malformed data URI: expected data:image/<png|jpeg|gif|webp>;base64,<base64 data>.',
    };
  }
  const mediaType = header[1].toLowerCase();
  if (!isImageMediaType(mediaType)) {
    return {
      kind: 'invalid',
      reason: `A data URI must hold an image of type ${IMAGE_MEDIA_TYPES.join(', ')}; got ${mediaType}.`,
    };
  }
  const base64 = url.slice(header[0].length);
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { kind: 'invalid', reason: 'Malformed data URI: the image data is not valid base64.' };
  }
  const head = Buffer.from(base64.slice(0, 24), 'base64');
  if (!SIGNATURES[mediaType](head)) {
    return { kind: 'invalid', reason: `Malformed data URI: the data is not a ${mediaType} image.` };
  }
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return { kind: 'data', mediaType, base64, byteSize: (base64.length / 4) * 3 - padding };
}
