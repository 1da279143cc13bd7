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
