import {
  DEFAULT_MIN_SIMILARITY,
  fuseRankings,
  HYBRID_CANDIDATES,
  type Passage,
  type PassageSearch,
  type SearchPage,
  toPassage,
} from '@memgate/core';
import { agentToken } from './agent-token.ts';
import { rankedMatches } from './ranked-matches.ts';
import type { Statements } from './statements.ts';
import type { VectorIndex } from './vector-index.ts';

/**
 * Archival search. Text only: BM25 over the agent's passages, counted and paged in SQL. With a
 * query vector: the BM25 ranking and the vector ranking (each cut to its best candidates) fused
 * by reciprocal rank, so a passage that matches in words and in meaning ranks first, and one that
 * matches only in meaning is still found.
 */
export function searchPassages(
  sql: Statements,
  vectors: VectorIndex,
  agentId: string,
  search: PassageSearch,
): SearchPage<Passage> {
  const offset = Math.max(0, search.offset);
  if (!search.embedding) {
    const { total, seqs } = rankedMatches(sql.passageText, agentToken(agentId), search.terms, search);
    return { total, hits: passagesInOrder(sql, agentId, seqs) };
  }
  const textRanking = rankedMatches(sql.passageText, agentToken(agentId), search.terms, {
    limit: HYBRID_CANDIDATES,
    offset: 0,
  }).seqs;
  const vectorRanking = vectors.nearest(agentId, search.embedding, {
    minSimilarity: search.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
    limit: HYBRID_CANDIDATES,
  });
  const fused = fuseRankings([textRanking, vectorRanking]);
  return {
    total: fused.length,
    hits: passagesInOrder(sql, agentId, fused.slice(offset, offset + Math.max(0, search.limit))),
  };
}

/** The passages of `seqs`, in that order. */
function passagesInOrder(sql: Statements, agentId: string, seqs: number[]): Passage[] {
  if (seqs.length === 0) return [];
  const bySeq = new Map(sql.passagesBySeq.all(agentId, JSON.stringify(seqs)).map((row) => [row.seq, row]));
  return seqs.flatMap((seq) => {
    const row = bySeq.get(seq);
    return row ? [toPassage(row)] : [];
  });
}
