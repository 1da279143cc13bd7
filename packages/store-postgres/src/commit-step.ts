import { assertStepRowsBelongToAgent, MemgateError, type StoredMessage, type TurnStep } from '@memgate/core';
import { DatabaseError, type Pool } from 'pg';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { inTransaction } from './transaction.ts';
import { messageColumns, storableMessage, withSeqs, writeStep } from './write-step.ts';

/** The SQLSTATE memgate_commit_step raises for a missing agent or memory block. */
const NOT_FOUND = 'MG404';

/**
 * Commits a turn step. A step without attachments or passages (nearly every one) is one call of
 * memgate_commit_step: one statement, so one transaction and one round trip instead of
 * BEGIN, a statement per kind of row and COMMIT. The rest take the transaction of `writeStep`,
 * which writes the same rows in the same order.
 */
export async function commitStep(pool: Pool, step: TurnStep): Promise<StoredMessage[]> {
  const attachments = step.messages.some((message) => (message.attachments?.length ?? 0) > 0);
  if (attachments || (step.passages?.length ?? 0) > 0) {
    return inTransaction(pool, (client) => writeStep(client, step));
  }
  assertStepRowsBelongToAgent(step);
  const messages = step.messages.map(storableMessage);
  const { summary } = step;
  // Applied in order: a label changed twice in one step keeps its last value.
  const memory = new Map((step.memory ?? []).map((update) => [update.label, storable(update.value)]));
  const added = step.addPendingToolCalls ?? [];
  const values = [
    step.agentId,
    ...messageColumns(messages),
    step.contextStartSeq !== undefined || Boolean(summary),
    step.contextStartSeq ?? null,
    summary !== undefined,
    summary ? storable(summary.text) : null,
    summary?.messageCount ?? 0,
    summary?.updatedAt ?? null,
    [...memory.keys()],
    [...memory.values()],
    step.resolvePendingToolCallIds ?? [],
    added.map((call) => call.toolCallId),
    added.map((call) => storable(call.name)),
    added.map((call) => storable(call.arguments)),
    added.map((call) => call.style),
    added.map((call) => call.createdAt),
  ];
  try {
    const { rows } = await pool.query<{ id: string; seq: string }>({ ...SQL.commitStep, values });
    return withSeqs(messages, rows);
  } catch (error) {
    if (error instanceof DatabaseError && error.code === NOT_FOUND) {
      throw new MemgateError('NOT_FOUND', error.message);
    }
    throw error;
  }
}
