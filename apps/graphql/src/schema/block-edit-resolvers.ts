import { type Block, fieldError, isMemoryConflict, type Memgate, MemgateError } from '@memgate/core';
import type { GraphqlContext } from '../graphql-context.ts';
import { errorWithExtensions } from '../graphql-errors.ts';
import { agentBlockFields } from './agent-output.ts';

type Root = unknown;

/** An edit of one of an agent's blocks, named by label or by id, optionally from a known version. */
export interface AgentBlockEdit {
  agentId: string;
  label?: string | null;
  id?: string | null;
  value: string;
  version?: number | null;
}

/** The GraphQL `MemoryBlock` of a block written through `/v1/blocks`. */
function memoryBlockOf(block: Block) {
  const { id, label, value, limit, description, readOnly, version } = block;
  return agentBlockFields({ id, label, value, limit, description, readOnly, version });
}

/**
 * Writes one of the agent's blocks. Without a version it is REST's `PUT /v1/agents/{id}/memory/{label}`;
 * with one it is `PATCH /v1/blocks/{id}` with `version`, so an edit made from a value someone (the
 * agent, another tab) changed since is a CONFLICT, whose `extensions.currentBlock` is the value now.
 */
export async function editAgentBlock(memgate: Memgate, edit: AgentBlockEdit, context: GraphqlContext) {
  context.request.agentId = edit.agentId;
  if ((edit.label == null) === (edit.id == null)) {
    throw fieldError(['body', 'label'], 'Name the block by label or by id (one of them).');
  }
  if (edit.version == null && edit.label != null) {
    const body = { value: edit.value };
    return agentBlockFields(await memgate.agents.updateMemory(context.principal, edit.agentId, edit.label, body));
  }
  const agent = await memgate.agents.get(context.principal, edit.agentId);
  const block = agent.memory.find((candidate) =>
    edit.id == null ? candidate.label === edit.label : candidate.id === edit.id,
  );
  if (!block?.id) {
    const name = edit.id == null ? `"${edit.label}"` : edit.id;
    throw new MemgateError('NOT_FOUND', `Agent ${edit.agentId} has no memory block ${name}.`);
  }
  const body = edit.version == null ? { value: edit.value } : { value: edit.value, version: edit.version };
  try {
    return memoryBlockOf(await memgate.blocks.update(context.principal, block.id, body));
  } catch (error) {
    if (!isMemoryConflict(error)) throw error;
    const current = memoryBlockOf(await memgate.blocks.get(context.principal, block.id));
    throw errorWithExtensions(error, context.request.requestId, { currentBlock: current });
  }
}

/** `updateAgentBlock`: an agent's block by label or id, with conflict detection. */
export function createBlockEditResolvers(memgate: Memgate) {
  return {
    Mutation: {
      updateAgentBlock: (_root: Root, args: AgentBlockEdit, context: GraphqlContext) =>
        editAgentBlock(memgate, args, context),
    },
  };
}
