const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Bytes that start like a PNG (its 8-byte signature), padded to `size`: enough for memgate, which
 * checks a data: URI's first bytes against its media type and never decodes the picture.
 */
export function pngBytes(size = 64): Uint8Array {
  const bytes = new Uint8Array(Math.max(size, PNG_SIGNATURE.length));
  bytes.set(PNG_SIGNATURE);
  for (let index = PNG_SIGNATURE.length; index < bytes.length; index++) bytes[index] = index % 251;
  return bytes;
}

/** A `data:image/png;base64,…` URI of `size` decoded bytes. */
export function pngDataUri(size = 64): string {
  return `data:image/png;base64,${Buffer.from(pngBytes(size)).toString('base64')}`;
}

/** A user message with text and one image part. */
export function imageMessage(text: string, url: string, detail?: 'auto' | 'low' | 'high') {
  const image_url: { url: string; detail?: string } = { url };
  if (detail) image_url.detail = detail;
  return {
    role: 'user',
    content: [
      { type: 'text', text },
      { type: 'image_url', image_url },
    ],
  };
}
