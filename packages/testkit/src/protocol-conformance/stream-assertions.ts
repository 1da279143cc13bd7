import type { ChatCompletionChunk } from '@memgate/core';
import { expect } from 'vitest';

/** The text of a chunk sequence. */
export function streamedText(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

/** Chunks that carry reply text. */
export function contentChunks(chunks: ChatCompletionChunk[]): ChatCompletionChunk[] {
  return chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? '') !== '');
}

/**
 * The stream invariants of contract §4: role first, one id/created, finish_reason exactly once.
 * `ids` is the protocol's id pattern (`turnIdsOf(client)`).
 */
export function expectWellFormedStream(
  chunks: ChatCompletionChunk[],
  includeUsage: boolean,
  ids: RegExp = /^chatcmpl-/,
): void {
  expect(chunks.length).toBeGreaterThan(1);
  const first = chunks[0]!;
  expect(first.object).toBe('chat.completion.chunk');
  expect(first.id).toMatch(ids);
  expect(first.choices[0]?.delta.role).toBe('assistant');
  expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  expect(new Set(chunks.map((chunk) => chunk.created)).size).toBe(1);
  expect(Number.isInteger(first.created)).toBe(true);
  const finishes = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
  expect(finishes).toHaveLength(1);
  const usageChunks = chunks.filter((chunk) => chunk.usage);
  if (includeUsage) {
    expect(usageChunks).toHaveLength(1);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
  } else {
    expect(usageChunks).toHaveLength(0);
  }
}
