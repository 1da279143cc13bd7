import { randomUUID } from 'node:crypto';
import type {
  ErrorCode,
  MemoryBlock,
  NewAgent,
  NewBlock,
  NewMessage,
  NewPassage,
  PendingToolCall,
  Store,
  StoredMessage,
  ToolCall,
  User,
} from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS, MemgateError } from '@memgate/core';
import { expect } from 'vitest';

let tick = 0;

/** Distinct, increasing ISO timestamps, so orderings never hinge on equal clocks. */
export function timestamp(): string {
  tick += 1;
  return new Date(Date.UTC(2025, 0, 1) + tick * 1000).toISOString();
}

export function newUser(name = `user-${randomUUID()}`): User {
  return { id: `user-${randomUUID()}`, name, createdAt: timestamp() };
}

/** A new block id, as the core makes them. */
export function blockId(): string {
  return `block-${randomUUID()}`;
}

/**
 * A block of a new agent, written the way a store reads it back (version 1, attached to one agent,
 * no description, writable), so that a created agent equals what `getAgent` returns.
 */
export function memoryBlock(
  label: string,
  value: string,
  limit: number,
  overrides: Partial<MemoryBlock> = {},
): MemoryBlock & { id: string } {
  return {
    id: blockId(),
    label,
    value,
    limit,
    description: null,
    readOnly: false,
    version: 1,
    agentCount: 1,
    ...overrides,
  };
}

/** An agent whose block labels are not in alphabetical order, to catch a store that sorts them. */
export function newAgent(userId: string, overrides: Partial<NewAgent> = {}): NewAgent {
  return {
    id: `agent-${randomUUID()}`,
    userId,
    name: 'helper',
    model: 'memgate-offline',
    system: 'You are a helpful agent.',
    contextWindow: 8192,
    createdAt: timestamp(),
    memory: [
      memoryBlock('persona', 'I am a helpful agent.', 2000),
      memoryBlock('human', '', 2000),
      memoryBlock('notes', 'none yet', 500),
    ],
    tags: [],
    metadata: null,
    settings: { ...DEFAULT_AGENT_SETTINGS },
    mcpTools: [],
    ...overrides,
  };
}

export function userMessage(agentId: string, content: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: `msg-${randomUUID()}`,
    agentId,
    role: 'user',
    content,
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: timestamp(),
    ...overrides,
  };
}

/** An assistant message that calls tools, with no text: both JSON and null columns round-trip. */
export function toolCallMessage(agentId: string, toolCalls: ToolCall[]): NewMessage {
  return userMessage(agentId, '', { role: 'assistant', content: null, toolCalls });
}

export function toolCall(name = 'get_weather', args = '{"city":"Paris"}'): ToolCall {
  return { id: `call_${randomUUID()}`, type: 'function', function: { name, arguments: args } };
}

export function pendingCall(agentId: string, call: ToolCall = toolCall()): PendingToolCall {
  return {
    agentId,
    toolCallId: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
    style: 'tool',
    createdAt: timestamp(),
  };
}

/** A user with one agent, stored. */
export async function seedAgent(store: Store): Promise<{ user: User; agent: NewAgent }> {
  const user = await store.createUser(newUser());
  const agent = newAgent(user.id);
  await store.createAgent(agent);
  return { user, agent };
}

/** Commits one single-message step per content, in order. */
export async function commitUserMessages(store: Store, agentId: string, contents: string[]): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  for (const content of contents) {
    stored.push(...(await store.commitStep({ agentId, messages: [userMessage(agentId, content)] })));
  }
  return stored;
}

/** A passage without a vector, unless `overrides` gives one. */
export function newPassage(agentId: string, content: string, overrides: Partial<NewPassage> = {}): NewPassage {
  return {
    id: `passage-${randomUUID()}`,
    agentId,
    content,
    embeddingModel: null,
    embedding: null,
    createdAt: timestamp(),
    ...overrides,
  };
}

/** An L2-normalised vector from its components. */
export function unitVector(...components: number[]): Float32Array {
  const norm = Math.hypot(...components);
  return Float32Array.from(components, (value) => value / norm);
}

/** A passage embedded by `model` with the given vector. */
export function embeddedPassage(agentId: string, content: string, model: string, vector: Float32Array): NewPassage {
  return newPassage(agentId, content, { embeddingModel: model, embedding: vector });
}

export function ids(messages: { id: string }[]): string[] {
  return messages.map((message) => message.id);
}

/** Asserts that `promise` rejects with a MemgateError of `code`. */
export async function expectMemgateError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error, `expected a MemgateError ${code}`).toBeInstanceOf(MemgateError);
  expect((error as MemgateError).code).toBe(code);
}

/** Asserts that `promise` rejects with a MemgateError of `code` and `detailCode`. */
export async function expectDetailError(promise: Promise<unknown>, code: ErrorCode, detailCode: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error, `expected a MemgateError ${code} (${detailCode})`).toBeInstanceOf(MemgateError);
  expect(error).toMatchObject({ code, detailCode });
}

/** A standalone block as `/v1/blocks` creates it. */
export function newBlock(userId: string, label: string, value: string, overrides: Partial<NewBlock> = {}): NewBlock {
  return {
    id: blockId(),
    userId,
    label,
    value,
    limit: 1000,
    description: null,
    readOnly: false,
    metadata: null,
    createdAt: timestamp(),
    ...overrides,
  };
}
