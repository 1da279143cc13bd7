import type { SearchPage, StoredMessage, TextSearch } from '@memgate/core';
import { agentToken, conversationToken } from './agent-token.ts';
import { rankedMatches } from './ranked-matches.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/**
 * Recall search: the agent's indexed history (or one conversation's) ranked by BM25, newest first
 * among equals.
 */
export function searchMessages(
  sql: Statements,
  agentId: string,
  search: TextSearch & { conversationId?: string },
): SearchPage<StoredMessage> {
  const scope = search.conversationId === undefined ? agentToken(agentId) : conversationToken(search.conversationId);
  const { total, seqs } = rankedMatches(sql.messageText, scope, search.terms, search);
  if (seqs.length === 0) return { total, hits: [] };
  const bySeq = new Map(sql.messagesBySeq.all(agentId, JSON.stringify(seqs)).map((row) => [row.seq, row]));
  return { total, hits: seqs.flatMap((seq) => (bySeq.has(seq) ? [toStoredMessage(bySeq.get(seq)!)] : [])) };
}
