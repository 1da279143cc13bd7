import type { NewPassage, Passage } from '@memgate/core';
import type { PoolClient } from 'pg';
import { MEMORY_SQL } from './memory-queries.ts';
import { storable } from './postgres-errors.ts';

/** A vector as stored: float32, in the platform's byte order (little-endian everywhere Node runs). */
export function vectorToBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Inserts passages in one statement, in their order. */
export async function writePassages(client: PoolClient, passages: readonly NewPassage[]): Promise<Passage[]> {
  if (passages.length === 0) return [];
  // A vector without its model could never be compared safely: store both or neither.
  const rows = passages.map((passage) => {
    const embedded = passage.embedding !== null && passage.embeddingModel !== null;
    return {
      id: passage.id,
      agentId: passage.agentId,
      content: storable(passage.content),
      embeddingModel: embedded ? passage.embeddingModel : null,
      embedding: embedded && passage.embedding ? vectorToBytes(passage.embedding) : null,
      createdAt: passage.createdAt,
    };
  });
  await client.query({
    ...MEMORY_SQL.insertPassages,
    values: [
      rows.map((row) => row.id),
      rows.map((row) => row.agentId),
      rows.map((row) => row.content),
      rows.map((row) => row.embeddingModel),
      rows.map((row) => row.embedding),
      rows.map((row) => row.createdAt),
    ],
  });
  return rows.map(({ id, agentId, content, embeddingModel, createdAt }) => ({
    id,
    agentId,
    content,
    embeddingModel,
    createdAt,
  }));
}
