import { MemgateError, type StoredMessage, type TurnStep } from '@memgate/core';
import { memoryConflict } from '@memgate/core/store-kit';
import { DatabaseError, type Pool } from 'pg';
import { inTransaction } from './transaction.ts';
import { commitStepQuery, withSeqs, writeStep } from './write-step.ts';

/** The SQLSTATEs memgate_commit_step raises (see conversations-migration.ts and blocks-migration.ts). */
const NOT_FOUND = 'MG404';
const CONVERSATION_NOT_FOUND = 'MGC04';
const MEMORY_CONFLICT = 'MG409';

/**
 * Commits a turn step. A step without attachments or passages (nearly every one) is one call of
 * memgate_commit_step: one statement, so one transaction and one round trip instead of
 * BEGIN, a statement per kind of row and COMMIT. The rest make the same call inside the
 * transaction of `writeStep`, which then writes the images and passages. A step's usage records
 * ride in the same statement (see `commitStepQuery`).
 */
export async function commitStep(pool: Pool, step: TurnStep): Promise<StoredMessage[]> {
  try {
    const attachments = step.messages.some((message) => (message.attachments?.length ?? 0) > 0);
    if (attachments || (step.passages?.length ?? 0) > 0) {
      return await inTransaction(pool, (client) => writeStep(client, step));
    }
    const { messages, query } = commitStepQuery(step);
    const { rows } = await pool.query<{ id: string; seq: string }>(query);
    return withSeqs(messages, rows, step.conversationId ?? step.agentId);
  } catch (error) {
    throw stepError(error, step.agentId) ?? error;
  }
}

function stepError(error: unknown, agentId: string): MemgateError | null {
  if (!(error instanceof DatabaseError)) return null;
  switch (error.code) {
    case NOT_FOUND:
      return new MemgateError('NOT_FOUND', error.message);
    case CONVERSATION_NOT_FOUND:
      return new MemgateError('NOT_FOUND', error.message, { detailCode: 'conversation_not_found' });
    case MEMORY_CONFLICT:
      return memoryConflict(agentId, error.detail ?? '');
    default:
      return null;
  }
}
