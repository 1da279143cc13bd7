import { MemgateError, type StoredMessage, type TurnStep } from '@memgate/core';
import { toMessageParams, toPendingToolCallRow, withSeq } from './row-mapping.ts';
import type { ConstraintMessages } from './sqlite-errors.ts';
import type { Statements } from './statements.ts';

/**
 * Writes every row of a turn step. Must run inside a transaction: it throws part-way on a bad
 * step and relies on the rollback to leave nothing of it behind.
 */
export function writeStep(sql: Statements, step: TurnStep): StoredMessage[] {
  const stored = step.messages.map((message) => {
    assertSameAgent(step, message.agentId);
    return withSeq(message, Number(sql.insertMessage.run(toMessageParams(message)).lastInsertRowid));
  });
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
  for (const call of step.addPendingToolCalls ?? []) {
    assertSameAgent(step, call.agentId);
    sql.insertPending.run(toPendingToolCallRow(call));
  }
  return stored;
}

/** How a step's constraint violations read to the caller (see translateConstraints). */
export function stepConstraintMessages(step: TurnStep): ConstraintMessages {
  return {
    conflict: 'The turn step repeats the id of a stored message or pending tool call.',
    missing: `Agent ${step.agentId} does not exist.`,
  };
}

function assertSameAgent(step: TurnStep, agentId: string): void {
  if (agentId !== step.agentId) {
    // A caller bug, not bad input: one step belongs to one agent.
    throw new Error(`A turn step for agent ${step.agentId} holds a row of agent ${agentId}.`);
  }
}
