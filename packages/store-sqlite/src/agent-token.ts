/**
 * The token that files an agent's rows in a full-text index (column `agent`). Hex keeps any agent
 * id a single word for the unicode61 tokenizer; the trailing digit and the length keep the porter
 * stemmer from touching it. Migration 2 computes the same token in SQL: 'g' || lower(hex(id)) || '0'.
 */
export function agentToken(agentId: string): string {
  return `g${Buffer.from(agentId, 'utf8').toString('hex')}0`;
}

/**
 * The FTS5 MATCH expression for an agent's documents that contain any of `terms`. Terms are
 * quoted (and quotes doubled), so no word can act as FTS5 syntax.
 */
export function matchExpression(agentId: string, terms: string[]): string {
  const quoted = terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
  return `agent : "${agentToken(agentId)}" AND text : (${quoted})`;
}

/** Documents of the agent that contain any of `terms` but none of `excluded`. */
export function matchExcluding(agentId: string, terms: string[], excluded: string[]): string {
  const quoted = excluded.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
  return `(${matchExpression(agentId, terms)}) NOT text : (${quoted})`;
}

/** Every document of the agent. */
export function matchAgent(agentId: string): string {
  return `agent : "${agentToken(agentId)}"`;
}
