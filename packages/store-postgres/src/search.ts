import {
  DEFAULT_MIN_SIMILARITY,
  fuseRankings,
  HYBRID_CANDIDATES,
  type Passage,
  type PassageRow,
  type PassageSearch,
  type SearchPage,
  type StoredMessage,
  type TextSearch,
  toPassage,
} from '@memgate/core';
import type { Pool } from 'pg';
import { MEMORY_SQL } from './memory-queries.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { MessageRow } from './rows.ts';
import { nearestPassages } from './vector-scan.ts';

/** A row of a ranked page: the total, and the hit's columns (all NULL on the row of an empty page). */
type RankedRow<Row extends { id: string }> = Omit<Row, 'id'> & { id: string | null; total: number };

/** The websearch_to_tsquery input for "any of these terms", each quoted so it is never syntax. */
export function anyOf(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', ' ')}"`).join(' or ');
}

/**
 * Recall search: the agent's indexed history (or one conversation's) ranked by ts_rank_cd, newest
 * first among equals.
 */
export async function searchMessages(
  pool: Pool,
  agentId: string,
  search: TextSearch & { conversationId?: string },
): Promise<SearchPage<StoredMessage>> {
  if (search.terms.length === 0) return { total: 0, hits: [] };
  const values = [agentId, anyOf(search.terms), Math.max(0, search.limit), Math.max(0, search.offset)];
  const { conversationId } = search;
  const { rows } = await pool.query<RankedRow<MessageRow>>(
    conversationId === undefined
      ? { ...MEMORY_SQL.messageMatchPage, values }
      : { ...MEMORY_SQL.conversationMessageMatchPage, values: [...values, conversationId] },
  );
  return { total: rows[0]?.total ?? 0, hits: pageRows(rows).map(toStoredMessage) };
}

/**
 * Archival search. Text only: ts_rank_cd over the agent's passages, counted and paged in SQL.
 * With a query vector: the text ranking and the vector ranking fused by reciprocal rank (the
 * core's fuseRankings, as every store does), so a passage that matches in words and in meaning
 * ranks first, and one that matches only in meaning is still found.
 */
export async function searchPassages(pool: Pool, agentId: string, search: PassageSearch): Promise<SearchPage<Passage>> {
  const offset = Math.max(0, search.offset);
  const limit = Math.max(0, search.limit);
  if (!search.embedding) {
    if (search.terms.length === 0) return { total: 0, hits: [] };
    const { rows } = await pool.query<RankedRow<PassageRow>>({
      ...MEMORY_SQL.passageMatchPage,
      values: [agentId, anyOf(search.terms), limit, offset],
    });
    return { total: rows[0]?.total ?? 0, hits: pageRows(rows).map(toPassage) };
  }
  const { model, vector } = search.embedding;
  // Both rankings at once, on two connections: the text one is quick, the vector one reads every vector.
  const [textRanking, vectorRows] = await Promise.all([
    search.terms.length === 0
      ? []
      : pool
          .query<{ seq: string }>({
            ...MEMORY_SQL.rankPassageMatches,
            values: [agentId, anyOf(search.terms), HYBRID_CANDIDATES],
          })
          .then((result) => result.rows.map((row) => row.seq)),
    pool
      .query<{ seq: string; embedding: Buffer }>({
        ...MEMORY_SQL.passageVectors,
        values: [agentId, model, vector.byteLength],
      })
      .then((result) => result.rows),
  ]);
  const vectorRanking = nearestPassages(vectorRows, vector, {
    minSimilarity: search.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
    limit: HYBRID_CANDIDATES,
  });
  const fused = fuseRankings([textRanking, vectorRanking]);
  const page = fused.slice(offset, offset + limit);
  if (page.length === 0) return { total: fused.length, hits: [] };
  const found = await pool.query<PassageRow & { seq: string }>({
    ...MEMORY_SQL.passagesBySeq,
    values: [agentId, page],
  });
  const bySeq = new Map(found.rows.map((row) => [row.seq, row]));
  const hits = page.flatMap((seq) => {
    const row = bySeq.get(seq);
    return row ? [toPassage(row)] : [];
  });
  return { total: fused.length, hits };
}

/** The rows of a ranked page; an empty page comes back as one row holding only the total. */
function pageRows<Row extends { id: string }>(rows: RankedRow<Row>[]): Row[] {
  return rows.filter((row): row is RankedRow<Row> & Row => row.id !== null);
}
