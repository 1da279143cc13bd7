/** One passage's similarity to a query vector. */
interface Scored {
  seq: string;
  similarity: number;
}

/**
 * Brute-force nearest neighbours, as the SQLite store computes them: the dot product of the
 * (normalised) query with every vector the agent stored with the same model, read straight from
 * the bytes. Returns the seqs at or above `minSimilarity`, most similar first, at most `limit`.
 */
export function nearestPassages(
  rows: readonly { seq: string; embedding: Buffer }[],
  vector: Float32Array,
  options: { minSimilarity: number; limit: number },
): string[] {
  const scored: Scored[] = [];
  for (const { seq, embedding } of rows) {
    // A view needs 4-byte alignment; bytes that lack it are copied once instead.
    const stored =
      embedding.byteOffset % 4 === 0
        ? new Float32Array(embedding.buffer, embedding.byteOffset, embedding.byteLength / 4)
        : new Float32Array(Uint8Array.from(embedding).buffer);
    let similarity = 0;
    for (let index = 0; index < vector.length; index++) similarity += vector[index]! * stored[index]!;
    if (similarity >= options.minSimilarity) scored.push({ seq, similarity });
  }
  // Newest first among equals; seqs are BIGINT strings, so compare them as numbers.
  scored.sort((a, b) => b.similarity - a.similarity || Number(b.seq) - Number(a.seq));
  return scored.slice(0, options.limit).map((entry) => entry.seq);
}
