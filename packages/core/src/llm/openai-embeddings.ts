import { upstreamFailure } from './openai-errors.ts';

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
