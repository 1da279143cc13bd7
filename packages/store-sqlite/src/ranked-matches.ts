import { matchExcluding, matchExpression, matchScope } from './agent-token.ts';
import type { FtsStatements } from './memory-statements.ts';

/** Below this many matches, ranking them all is cheap (about 2 ms) and no split is tried. */
const SPLIT_ABOVE = 1000;

/**
 * One page of the documents filed under `scope` (an agent's or a conversation's token, see
 * agent-token.ts) matching any of `terms`, best first, and how many match.
 *
 * Ranking costs BM25 over every match, ~15 ms at 10,000, and a term found in most documents
 * ("user" in archival notes) matches them all. Yet BM25 gives such a term no weight (FTS5 floors
 * its IDF at 1e-6 once it is in half the documents), so when a query has both kinds of terms the
 * documents with an informative term are ranked by those terms alone, and the ones matching only
 * common terms follow, newest first — the order their near-zero scores would give, at a fraction
 * of the cost. The total still counts every match.
 */
export function rankedMatches(
  fts: FtsStatements,
  scope: string,
  terms: string[],
  page: { limit: number; offset: number },
): { total: number; seqs: number[] } {
  if (terms.length === 0) return { total: 0, seqs: [] };
  const all = matchExpression(scope, terms);
  const total = fts.count.get(all) ?? 0;
  const limit = Math.max(0, page.limit);
  const offset = Math.max(0, page.offset);
  if (total === 0 || limit === 0) return { total, seqs: [] };
  const split = total > SPLIT_ABOVE && terms.length > 1 ? splitCommonTerms(fts, scope, terms) : null;
  if (!split) return { total, seqs: fts.ranked.all(all, limit, offset) };

  const informative = matchExpression(scope, split.informative);
  const rankedCount = fts.count.get(informative) ?? 0;
  const seqs = offset < rankedCount ? fts.ranked.all(informative, limit, offset) : [];
  if (seqs.length < limit) {
    const rest = matchExcluding(scope, split.common, split.informative);
    seqs.push(...fts.newest.all(rest, limit - seqs.length, Math.max(0, offset - rankedCount)));
  }
  return { total, seqs };
}

/** The terms found in more than half of the scope's documents, and the others; null unless both exist. */
function splitCommonTerms(fts: FtsStatements, scope: string, terms: string[]) {
  const documents = fts.count.get(matchScope(scope)) ?? 0;
  const common: string[] = [];
  const informative: string[] = [];
  for (const term of terms) {
    const frequency = fts.count.get(matchExpression(scope, [term])) ?? 0;
    (frequency * 2 > documents ? common : informative).push(term);
  }
  return common.length > 0 && informative.length > 0 ? { common, informative } : null;
}
