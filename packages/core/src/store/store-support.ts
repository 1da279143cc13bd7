import { MemgateError } from '../errors/memgate-error.ts';
import type { TurnStep } from './store.ts';

/**
 * Helpers every Store implementation shares, so that the embedded and the networked stores
 * refuse the same inputs with the same words.
 */

/** What to say when a write breaks a constraint: a duplicate, or a row it points to is missing. */
export interface ConstraintMessages {
  conflict: string;
  missing?: string;
}

/** How a turn step's constraint violations read to the caller. */
export function stepConstraintMessages(step: TurnStep): ConstraintMessages {
  return {
    conflict: 'The turn step repeats the id of a stored message, passage or pending tool call.',
    missing: `Agent ${step.agentId} does not exist.`,
  };
}

/** Throws when a row of the step belongs to another agent: a caller bug, not bad input. */
export function assertStepRowsBelongToAgent(step: TurnStep): void {
  const rows = [...step.messages, ...(step.addPendingToolCalls ?? []), ...(step.passages ?? [])];
  for (const row of rows) {
    if (row.agentId !== step.agentId) {
      throw new Error(`A turn step for agent ${step.agentId} holds a row of agent ${row.agentId}.`);
    }
  }
}

/**
 * A versioned memory write found its block at another version: another conversation wrote it
 * since this edit was made. The caller re-applies the edit to the new value (see `TurnStep.memory`).
 */
export function memoryConflict(agentId: string, label: string): MemgateError {
  return new MemgateError(
    'CONFLICT',
    `Memory block "${label}" of agent ${agentId} changed since it was read; the edit must be re-applied.`,
    { detailCode: 'memory_conflict' },
  );
}
