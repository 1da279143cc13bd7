import { type Database, transaction } from './driver.ts';
import type { Statements } from './statements.ts';

/** One agent's vectors of one model, packed in a single matrix. */
interface Entry {
  dimensions: number;
  seqs: number[];
  /** Row i holds the vector of seqs[i]; capacity grows by doubling. */
  matrix: Float32Array;
  /** passage_deletions when built: any deletion since means a rebuild. */
  deletions: number;
  /** The newest passage seq seen: passages after it are appended. */
  maxSeq: number;
}

/** Memory the index may hold over all agents before it drops the least recently searched. */
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Brute-force nearest neighbours over an in-memory copy of each searched agent's vectors. Reading
 * 10,000 BLOBs costs tens of milliseconds in the driver against ~2 ms for the dot products, so vectors are
 * read once and kept; new passages are appended, and a deletion anywhere (counted by a trigger, so
 * other processes' writes count too) rebuilds the agent's entry.
 */
export class VectorIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;

  constructor(
    private readonly db: Database,
    private readonly sql: () => Statements,
    maxBytes = DEFAULT_MAX_BYTES,
  ) {
    this.#maxBytes = maxBytes;
  }

  /** Seqs of the passages at or above `minSimilarity` (dot product of normalised vectors), best first. */
  nearest(
    agentId: string,
    query: { model: string; vector: Float32Array },
    options: { minSimilarity: number; limit: number },
  ): number[] {
    const entry = this.#read(agentId, query.model, query.vector.length);
    if (!entry) return [];
    const { vector } = query;
    const { matrix, seqs } = entry;
    const dimensions = vector.length;
    const scored: { seq: number; similarity: number }[] = [];
    for (let row = 0, offset = 0; row < seqs.length; row++, offset += dimensions) {
      let similarity = 0;
      for (let index = 0; index < dimensions; index++)
        similarity += (vector[index] as number) * (matrix[offset + index] as number);
      if (similarity >= options.minSimilarity) scored.push({ seq: seqs[row] as number, similarity });
    }
    scored.sort((a, b) => b.similarity - a.similarity || b.seq - a.seq);
    return scored.slice(0, options.limit).map((hit) => hit.seq);
  }

  /** The agent's entry, brought up to date in one read snapshot. */
  #read(agentId: string, model: string, dimensions: number): Entry | null {
    const key = `${agentId}\u0000${model}`;
    // One read snapshot, so the state and the vectors agree.
    return transaction(this.db, 'DEFERRED', () => {
      const state = this.sql().passageIndexState.get(agentId);
      let entry = this.#entries.get(key);
      this.#entries.delete(key);
      if (!state) return null;
      if (!entry || entry.deletions !== state.deletions || entry.dimensions !== dimensions) {
        entry = { dimensions, seqs: [], matrix: new Float32Array(0), deletions: state.deletions, maxSeq: 0 };
      }
      if ((state.max_seq ?? 0) > entry.maxSeq) {
        for (const [seq, blob] of this.sql().passageVectors.iterate(agentId, model, entry.maxSeq))
          append(entry, seq, blob);
        entry.maxSeq = state.max_seq ?? 0;
      }
      // Re-inserted last: Map order doubles as least-recently-searched order.
      this.#entries.set(key, entry);
      this.#evict(key);
      return entry;
    });
  }

  #evict(keep: string): void {
    let bytes = 0;
    for (const entry of this.#entries.values()) bytes += entry.matrix.byteLength;
    for (const [key, entry] of this.#entries) {
      if (bytes <= this.#maxBytes) break;
      if (key === keep) continue;
      this.#entries.delete(key);
      bytes -= entry.matrix.byteLength;
    }
  }
}

function append(entry: Entry, seq: number, blob: Uint8Array): void {
  // A vector of another size came from an earlier configuration under the same model name.
  if (blob.byteLength !== entry.dimensions * 4) return;
  const row = entry.seqs.length;
  if ((row + 1) * entry.dimensions > entry.matrix.length) {
    const grown = new Float32Array(Math.max(entry.dimensions * 64, entry.matrix.length * 2));
    grown.set(entry.matrix);
    entry.matrix = grown;
  }
  // Copied through a byte view: a BLOB's buffer need not be 4-byte aligned.
  new Uint8Array(entry.matrix.buffer, row * entry.dimensions * 4, blob.byteLength).set(blob);
  entry.seqs.push(seq);
}
