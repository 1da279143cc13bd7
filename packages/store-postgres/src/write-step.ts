import {
  assertStepRowsBelongToAgent,
  MemgateError,
  messageSearchText,
  type NewMessage,
  type StoredMessage,
  type ToolCall,
  type TurnStep,
} from '@memgate/core';
import type { PoolClient } from 'pg';
import { writeAttachments } from './attachments.ts';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { writePassages } from './write-passages.ts';

/**
 * Writes every row of a turn step, one statement per kind of row (not per row), so a step costs
 * a few round trips however many messages it holds. Must run inside a transaction: it throws
 * part-way on a bad step and relies on the rollback to leave nothing of it behind.
 */
export async function writeStep(client: PoolClient, step: TurnStep): Promise<StoredMessage[]> {
  const { agentId } = step;
  assertStepRowsBelongToAgent(step);

  // As memgate_commit_step does: seqs are then handed out in commit order (see commit-step-function.ts).
  await client.query({ ...SQL.lockAgent, values: [agentId] });
  const stored = step.messages.length === 0 ? [] : await insertMessages(client, agentId, step.messages);
  await writeAttachments(client, stored);
  await writePassages(client, step.passages ?? []);
  await moveContextWindow(client, step);
  await updateMemory(client, agentId, step.memory ?? []);
  // Answers first, then new calls: a step answers the calls of the previous one before opening its own.
  const resolved = step.resolvePendingToolCallIds ?? [];
  if (resolved.length > 0) await client.query({ ...SQL.deletePending, values: [agentId, resolved] });
  const added = step.addPendingToolCalls ?? [];
  if (added.length > 0) {
    await client.query({
      ...SQL.insertPending,
      values: [
        agentId,
        added.map((call) => call.toolCallId),
        added.map((call) => storable(call.name)),
        added.map((call) => storable(call.arguments)),
        added.map((call) => call.style),
        added.map((call) => call.createdAt),
      ],
    });
  }
  return stored;
}

async function insertMessages(client: PoolClient, agentId: string, input: NewMessage[]): Promise<StoredMessage[]> {
  const messages = input.map(storableMessage);
  const { rows } = await client.query<{ id: string; seq: string }>({
    ...SQL.insertMessages,
    values: [agentId, ...messageColumns(messages)],
  });
  return withSeqs(messages, rows);
}

/** The column arrays of the messages' INSERT, in its parameters' order (after the agent id). */
export function messageColumns(messages: NewMessage[]): unknown[][] {
  return [
    messages.map((message) => message.id),
    messages.map((message) => message.role),
    messages.map((message) => message.content),
    messages.map((message) => (message.toolCalls === null ? null : JSON.stringify(message.toolCalls))),
    messages.map((message) => message.toolCallId),
    messages.map((message) => message.name),
    messages.map((message) => message.createdAt),
    messages.map((message) => message.tokenCount ?? null),
    messages.map((message) => messageSearchText(message)),
    messages.map((message) => (message.metadata ? JSON.stringify(message.metadata) : null)),
  ];
}

/** The messages as stored, each with the seq its INSERT returned. */
export function withSeqs(messages: NewMessage[], rows: { id: string; seq: string }[]): StoredMessage[] {
  // RETURNING promises no order: match the seqs by id (unique, or the INSERT would have failed).
  const seqById = new Map(rows.map((row) => [row.id, Number(row.seq)]));
  return messages.map((message) => {
    const seq = seqById.get(message.id);
    if (seq === undefined) throw new Error(`Message ${message.id} was not returned by its INSERT.`);
    return { ...message, seq };
  });
}

async function moveContextWindow(client: PoolClient, step: TurnStep): Promise<void> {
  const { contextStartSeq, summary } = step;
  if (contextStartSeq === undefined && !summary) return;
  const { rowCount } = await client.query({
    ...SQL.moveContextWindow,
    values: [
      step.agentId,
      contextStartSeq ?? null,
      summary !== undefined,
      summary ? storable(summary.text) : null,
      summary?.messageCount ?? 0,
      summary?.updatedAt ?? null,
    ],
  });
  if (rowCount === 0) throw new MemgateError('NOT_FOUND', `Agent ${step.agentId} does not exist.`);
}

/** The message as it will read back: the same fields, with text PostgreSQL can hold. */
export function storableMessage(message: NewMessage): NewMessage {
  const copy: NewMessage = {
    id: message.id,
    agentId: message.agentId,
    role: message.role,
    content: storable(message.content),
    toolCalls: message.toolCalls === null ? null : storableCalls(message.toolCalls),
    toolCallId: storable(message.toolCallId),
    name: storable(message.name),
    createdAt: message.createdAt,
  };
  if (message.tokenCount !== undefined) copy.tokenCount = message.tokenCount;
  if (message.attachments?.length) {
    copy.attachments = message.attachments.map((attachment) => ({ ...attachment, url: storable(attachment.url) }));
  }
  return copy;
}

async function updateMemory(client: PoolClient, agentId: string, updates: { label: string; value: string }[]) {
  if (updates.length === 0) return;
  // Applied in order, as one UPDATE: a label changed twice in one step keeps its last value.
  const latest = new Map(updates.map((update) => [update.label, storable(update.value)]));
  const { rows } = await client.query<{ label: string }>({
    ...SQL.updateBlocks,
    values: [agentId, [...latest.keys()], [...latest.values()]],
  });
  const changed = new Set(rows.map((row) => row.label));
  const missing = [...latest.keys()].find((label) => !changed.has(label));
  if (missing !== undefined) {
    // Dropping a memory change silently would lose what the agent meant to remember.
    throw new MemgateError('NOT_FOUND', `Agent ${agentId} has no memory block "${missing}".`);
  }
}

export function storableCalls(calls: ToolCall[]): ToolCall[] {
  return calls.map((call) => ({
    id: call.id,
    type: call.type,
    function: { name: storable(call.function.name), arguments: storable(call.function.arguments) },
  }));
}
