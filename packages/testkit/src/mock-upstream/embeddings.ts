import { countTokens } from './completion.ts';
import { isRecord } from './http-helpers.ts';
import type { EmbeddingRequestBody } from './types.ts';

/** Default embedding size: small, yet few enough collisions for similarity tests to rank sensibly. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 128;

// FNV-1a: tiny, fast and stable across runs and platforms, which is all a test embedding needs.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A deterministic, L2-normalised embedding: a signed hashed bag of lower-cased words. Texts that
 * share words get a positive cosine similarity; text without words maps to the first unit vector
 * (a zero vector would make cosine similarity NaN).
 */
export function embedText(text: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = fnv1a(word);
    // The top bit picks the sign, so collisions cancel out on average instead of piling up.
    const sign = hash >>> 31 === 1 ? -1 : 1;
    const slot = hash % dimensions;
    vector[slot] = (vector[slot] ?? 0) + sign;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

/** Validates an embeddings body: `input` a string, token array, or array of either. */
export function parseEmbeddingRequest(value: unknown): EmbeddingRequestBody | undefined {
  if (!isRecord(value)) return undefined;
  const input = value['input'];
  const isTokens = (item: unknown): boolean => Array.isArray(item) && item.every((token) => typeof token === 'number');
  const valid =
    typeof input === 'string' ||
    (Array.isArray(input) &&
      input.length > 0 &&
      (isTokens(input) || input.every((item) => typeof item === 'string' || isTokens(item))));
  return valid ? (value as EmbeddingRequestBody) : undefined;
}

function inputTexts(input: EmbeddingRequestBody['input']): string[] {
  if (typeof input === 'string') return [input];
  // A flat token array is one input; token ids are embedded as their decimal words.
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  return input.map((item) => (typeof item === 'string' ? item : item.join(' ')));
}

/**
 * The `/v1/embeddings` response. Honours `encoding_format: 'base64'` (little-endian float32), which
 * the `openai` SDK requests by default and decodes transparently.
 */
export function embeddingsBody(body: EmbeddingRequestBody, defaultDimensions: number): Record<string, unknown> {
  const dimensions =
    typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.floor(body.dimensions) : defaultDimensions;
  const texts = inputTexts(body.input);
  const data = texts.map((text, index) => {
    const vector = embedText(text, dimensions);
    const embedding =
      body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
  return {
    object: 'list',
    data,
    model: typeof body.model === 'string' ? body.model : 'mock-embedding',
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
