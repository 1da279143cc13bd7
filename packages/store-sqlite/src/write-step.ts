import type { StoredMessage, TurnStep } from '@memgate/core';
import {
  assertStepRowsBelongToAgent,
  MemgateError,
  memoryConflict,
  messageSearchText,
  toUsageRow,
} from '@memgate/core/store-kit';
import { messageScopeTokens } from './agent-token.ts';
import { writeAttachments } from './attachments.ts';
import { toMessageParams, toPendingToolCallRow, withSeq } from './row-mapping.ts';
import type { Statements } from './statements.ts';
import { writeBlockValue } from './write-blocks.ts';
import { writePassages } from './write-passages.ts';

/**
 * Writes every row of a turn step. Must run inside a transaction: it throws part-way on a bad
 * step and relies on the rollback to leave nothing of it behind.
 */
export function writeStep(sql: Statements, step: TurnStep): StoredMessage[] {
  assertStepRowsBelongToAgent(step);
  const conversationId = step.conversationId ?? step.agentId;
  if (!sql.conversationOfAgent.get(conversationId, step.agentId)) {
    // Checked first: the conversation may have been deleted while its turn ran.
    throw new MemgateError('NOT_FOUND', `Conversation ${conversationId} of agent ${step.agentId} does not exist.`, {
      detailCode: 'conversation_not_found',
    });
  }
  const scope = messageScopeTokens(step.agentId, conversationId);
  const stored = step.messages.map((message) => {
    const seq = Number(sql.insertMessage.run(toMessageParams(message, conversationId)).lastInsertRowid);
    writeAttachments(sql, message, seq);
    const text = messageSearchText(message);
    if (text !== null) sql.insertMessageText.run(seq, scope, text);
    return withSeq(message, seq, conversationId);
  });
  writePassages(sql, step.passages ?? []);
  moveContextWindow(sql, step, conversationId);
  writeMemory(sql, step);
  // Answers first, then new calls: a step answers the calls of the previous one before opening its own.
  for (const toolCallId of step.resolvePendingToolCallIds ?? []) {
    sql.deletePending.run(conversationId, toolCallId);
  }
  for (const call of step.addPendingToolCalls ?? []) {
    sql.insertPending.run({ ...toPendingToolCallRow(call), conversation_id: conversationId });
  }
  for (const record of step.usage ?? []) sql.insertUsage.run(toUsageRow(record));
  return stored;
}

function moveContextWindow(sql: Statements, step: TurnStep, conversationId: string): void {
  const { contextStartSeq, summary } = step;
  if (contextStartSeq !== undefined) sql.setContextStart.run(contextStartSeq, conversationId);
  if (summary) sql.setSummary.run(summary.text, summary.messageCount, summary.updatedAt, conversationId);
}

/**
 * The step's block writes, each over the agent's block with that label: checked against the version
 * the edit was made from, then recorded in the block's history as the agent's, with its message.
 */
function writeMemory(sql: Statements, step: TurnStep): void {
  const messageId = step.memoryMessageId ?? step.messages[0]?.id ?? null;
  for (const update of step.memory ?? []) {
    const block = sql.blockOfAgent.get(step.agentId, update.label);
    // Dropping a memory change silently would lose what the agent meant to remember.
    if (!block) throw new MemgateError('NOT_FOUND', `Agent ${step.agentId} has no memory block "${update.label}".`);
    if (update.version !== undefined && update.version !== block.version) {
      throw memoryConflict(step.agentId, update.label);
    }
    writeBlockValue(sql, block.id, update.value, { actor: 'agent', agentId: step.agentId, messageId });
  }
}
