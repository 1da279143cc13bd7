import type { StoredMessage, TurnStep } from '@memgate/core';
import { assertStepRowsBelongToAgent, MemgateError, messageSearchText } from '@memgate/core/store-kit';
import { agentToken } from './agent-token.ts';
import { writeAttachments } from './attachments.ts';
import { toMessageParams, toPendingToolCallRow, withSeq } from './row-mapping.ts';
import type { Statements } from './statements.ts';
import { writePassages } from './write-passages.ts';

/**
 * Writes every row of a turn step. Must run inside a transaction: it throws part-way on a bad
 * step and relies on the rollback to leave nothing of it behind.
 */
export function writeStep(sql: Statements, step: TurnStep): StoredMessage[] {
  assertStepRowsBelongToAgent(step);
  const stored = step.messages.map((message) => {
    const seq = Number(sql.insertMessage.run(toMessageParams(message)).lastInsertRowid);
    writeAttachments(sql, message, seq);
    const text = messageSearchText(message);
    if (text !== null) sql.insertMessageText.run(seq, agentToken(message.agentId), text);
    return withSeq(message, seq);
  });
  writePassages(sql, step.passages ?? []);
  moveContextWindow(sql, step);
  for (const update of step.memory ?? []) {
    if (!sql.updateBlock.get(update.value, step.agentId, update.label)) {
      // Dropping a memory change silently would lose what the agent meant to remember.
      throw new MemgateError('NOT_FOUND', `Agent ${step.agentId} has no memory block "${update.label}".`);
    }
  }
  // Answers first, then new calls: a step answers the calls of the previous one before opening its own.
  for (const toolCallId of step.resolvePendingToolCallIds ?? []) {
    sql.deletePending.run(step.agentId, toolCallId);
  }
  for (const call of step.addPendingToolCalls ?? []) sql.insertPending.run(toPendingToolCallRow(call));
  return stored;
}

function moveContextWindow(sql: Statements, step: TurnStep): void {
  const { contextStartSeq, summary } = step;
  const missing = () => new MemgateError('NOT_FOUND', `Agent ${step.agentId} does not exist.`);
  if (contextStartSeq !== undefined && sql.setContextStart.run(contextStartSeq, step.agentId).changes === 0) {
    throw missing();
  }
  if (
    summary &&
    sql.setSummary.run(summary.text, summary.messageCount, summary.updatedAt, step.agentId).changes === 0
  ) {
    throw missing();
  }
}
