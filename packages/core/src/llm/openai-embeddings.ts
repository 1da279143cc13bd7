import { upstreamFailure } from './openai-errors.ts';

/** The encoding asked of the upstream: base64 float32 is a quarter of the JSON and parses faster. */
export const EMBEDDING_ENCODING = 'base64';

function float32FromBase64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % Float32Array.BYTES_PER_ELEMENT !== 0) {
    throw new RangeError('Invalid base64-encoded float32 array: byte length must be a multiple of 4');
  }
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / Float32Array.BYTES_PER_ELEMENT));
}

/**
 * Decodes the base64 vectors of an embeddings body in place (servers that ignore `encoding_format`
 * send number lists, which stay as they are).
 */
export function decodeEmbeddings(body: unknown): unknown {
  const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
  if (data === undefined) return body;
  if (!Array.isArray(data)) throw new TypeError('Expected embeddings response data to be an array');
  for (const item of data) {
    const embedding: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, 'embedding') : undefined;
    if (typeof embedding === 'string') Reflect.set(item, 'embedding', float32FromBase64(embedding));
  }
  return body;
}

/**
 * The vectors of an embeddings response, in input order. Checked rather than trusted: a vector
 * missing or garbled here would be stored and silently skew every later search.
 */
export function parseEmbeddings(body: unknown, inputs: number): number[][] {
  const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
  if (!Array.isArray(data) || data.length !== inputs) {
    throw upstreamFailure(
      `The upstream LLM answered an embeddings request for ${inputs} input(s) with ${Array.isArray(data) ? data.length : 'no'} embeddings.`,
      null,
    );
  }
  const vectors: number[][] = new Array(inputs);
  data.forEach((item: unknown, position) => {
    const index: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, 'index') : undefined;
    const embedding: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, 'embedding') : undefined;
    const slot = typeof index === 'number' ? index : position;
    if (!Array.isArray(embedding) || !embedding.every((value) => typeof value === 'number') || slot >= inputs) {
      throw upstreamFailure('The upstream LLM sent an embedding that is not a list of numbers.', null);
    }
    vectors[slot] = embedding;
  });
  return vectors;
}
