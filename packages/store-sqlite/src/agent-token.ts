/**
 * The token that files an agent's rows in a full-text index (column `agent`). Hex keeps any agent
 * id a single word for the unicode61 tokenizer; the trailing digit and the length keep the porter
 * stemmer from touching it. Migration 2 computes the same token in SQL: 'g' || lower(hex(id)) || '0'.
 */
export function agentToken(agentId: string): string {
  return `g${Buffer.from(agentId, 'utf8').toString('hex')}0`;
}

/** The same for a conversation ('c' instead of 'g'; migration 6 computes it in SQL too). */
export function conversationToken(conversationId: string): string {
  return `c${Buffer.from(conversationId, 'utf8').toString('hex')}0`;
}

/** What a message's row holds in the history index's `agent` column: its agent's token and its conversation's. */
export function messageScopeTokens(agentId: string, conversationId: string): string {
  return `${agentToken(agentId)} ${conversationToken(conversationId)}`;
}

/**
 * The FTS5 MATCH expression for the documents filed under `scope` (an agent's or a conversation's
 * token) that contain any of `terms`. Terms are quoted (and quotes doubled), so no word can act as
 * FTS5 syntax.
 */
export function matchExpression(scope: string, terms: string[]): string {
  const quoted = terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
  return `agent : "${scope}" AND text : (${quoted})`;
}

/** Documents of the scope that contain any of `terms` but none of `excluded`. */
export function matchExcluding(scope: string, terms: string[], excluded: string[]): string {
  const quoted = excluded.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
  return `(${matchExpression(scope, terms)}) NOT text : (${quoted})`;
}

/** Every document of the scope. */
export function matchScope(scope: string): string {
  return `agent : "${scope}"`;
}
