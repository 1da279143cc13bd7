import type { NewPassage, Passage } from '@memgate/core';
import { toPassage } from '@memgate/core/store-kit';
import { agentToken } from './agent-token.ts';
import { toPassageParams } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/** Inserts passages with their full-text entries. Must run inside a transaction. */
export function writePassages(sql: Statements, passages: readonly NewPassage[]): Passage[] {
  return passages.map((passage) => {
    const params = toPassageParams(passage);
    const seq = Number(sql.insertPassage.run(params).lastInsertRowid);
    sql.insertPassageText.run(seq, agentToken(passage.agentId), passage.content);
    return toPassage(params);
  });
}
