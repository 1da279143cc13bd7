/** A full-text query as every store receives it: already split into search terms by the core. */
export interface TextSearch {
  /**
   * Lower-cased words (letters and digits only, see `searchTerms`). A document matches when it
   * contains any of them; documents with more, and rarer, terms rank higher (BM25, ts_rank…).
   */
  terms: string[];
  /** Page size. */
  limit: number;
  /** Results to skip, for later pages. */
  offset: number;
}

/** A passage query: text terms, plus a query vector when an embedding model is configured. */
export interface PassageSearch extends TextSearch {
  /**
   * L2-normalised query vector; only passages embedded by the same model are compared with it
   * (their similarity is the dot product). Absent: text relevance alone.
   */
  embedding?: { model: string; vector: Float32Array };
  /** Vector hits below this cosine similarity are no match. Default 0.3. */
  minSimilarity?: number;
}

/** One page of ranked results. */
export interface SearchPage<T> {
  /** How many results the query has over all pages. */
  total: number;
  /** This page, best first. */
  hits: T[];
}

/** Vector similarity floor used when a search names none. */
export const DEFAULT_MIN_SIMILARITY = 0.3;

/** How many top candidates each signal contributes to a hybrid ranking. */
export const HYBRID_CANDIDATES = 1000;

/** The constant of reciprocal rank fusion: large enough that rank 1 does not swamp the other signal. */
const RRF_K = 60;

/**
 * Reciprocal rank fusion: merges rankings (best first) into one, scoring each key by the sum of
 * 1 / (k + rank) over the rankings that hold it. Scores of different scales (BM25, cosine) never
 * need normalising, which is why every store can fuse the same way. Ties keep first-seen order.
 */
export function fuseRankings<Key>(rankings: readonly (readonly Key[])[]): Key[] {
  const scores = new Map<Key, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, index) => {
      scores.set(key, (scores.get(key) ?? 0) + 1 / (RRF_K + index + 1));
    });
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}
