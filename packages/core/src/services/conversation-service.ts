import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireWriteScope } from '../auth/key-scope.ts';
import { type AgentLock, withAgentLock } from '../concurrency/agent-lock.ts';
import { type Conversation, isDefaultConversation, type Principal, type StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import { metadataSchema } from '../schemas/chat-request.ts';
import { NUL_MESSAGE, noNul } from '../schemas/json-limits.ts';
import type { ConversationPatch, Store } from '../store/store.ts';
import type { AgentService } from './agent-service.ts';
import { messagePageSchema } from './agent-service.ts';

const conversationName = z.string().trim().min(1).max(200).refine(noNul, NUL_MESSAGE);

export const createConversationSchema = z.strictObject({
  name: conversationName.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
});

export const updateConversationSchema = z.strictObject({
  name: conversationName.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
});

export const forkConversationSchema = z.strictObject({
  at_message_id: z.string().min(1).optional(),
  name: conversationName.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
});

export const rewindConversationSchema = z.strictObject({
  to_message_id: z.string().min(1),
});

export const conversationMessagesSchema = messagePageSchema.extend({
  include_hidden: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((value) => value === true || value === 'true')
    .optional(),
});

export const conversationPageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.string().min(1).optional(),
});

/** How a turn's request named its conversation, strongest first (see `ConversationService.resolve`). */
export interface ConversationChoice {
  /** Named by the protocol: the `X-Memgate-Conversation` header, a GraphQL or chat-channel field. */
  named?: string;
  /** `metadata.conversation_id` of the request body. */
  metadata?: string;
  /** A chat UI's chat id, prefixed with the UI's name (`openwebui:<id>`). */
  key?: string;
}

/** A new conversation id, shaped like OpenAI's (`conv_…`). */
export function newConversationId(): string {
  return `conv_${randomUUID().replaceAll('-', '')}`;
}

/** An agent's conversations: the same validation and answers for every protocol. */
export class ConversationService {
  constructor(
    private readonly store: Store,
    private readonly agents: AgentService,
    /** The lock turns take per conversation: a rewind or restore takes it too, so it never races a turn. */
    private readonly lock?: AgentLock,
  ) {}

  async create(principal: Principal, agentId: string, body: unknown): Promise<Conversation> {
    requireWriteScope(principal);
    const input = parseOrThrow(createConversationSchema, body ?? {});
    await this.agents.get(principal, agentId);
    const at = new Date().toISOString();
    return this.store.createConversation({
      id: newConversationId(),
      agentId,
      name: input.name ?? null,
      metadata: input.metadata ?? null,
      createdAt: at,
      updatedAt: at,
    });
  }

  async list(principal: Principal, agentId: string, query: unknown): Promise<Conversation[]> {
    const page = parseOrThrow(conversationPageSchema, query ?? {}, 'query');
    await this.agents.get(principal, agentId);
    return this.store.listConversations(agentId, page.before ? { limit: page.limit, before: page.before } : page);
  }

  /** The agent's conversation; another agent's, or another user's, is as absent as a missing one (404). */
  async get(principal: Principal, agentId: string, conversationId: string): Promise<Conversation> {
    const conversation = await this.store.getConversation(principal.userId, conversationId);
    if (!conversation || conversation.agentId !== agentId) {
      // Tell an unknown agent apart from an unknown conversation, as every other route does.
      await this.agents.get(principal, agentId);
      throw notFound(conversationId);
    }
    return conversation;
  }

  async update(principal: Principal, agentId: string, conversationId: string, body: unknown): Promise<Conversation> {
    requireWriteScope(principal);
    const input = parseOrThrow(updateConversationSchema, body ?? {});
    await this.get(principal, agentId, conversationId);
    const patch: ConversationPatch = { updatedAt: new Date().toISOString() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.metadata !== undefined) patch.metadata = input.metadata;
    const updated = await this.store.updateConversation(conversationId, patch);
    if (!updated) throw notFound(conversationId);
    return updated;
  }

  async delete(principal: Principal, agentId: string, conversationId: string): Promise<void> {
    requireWriteScope(principal);
    const conversation = await this.get(principal, agentId, conversationId);
    if (isDefaultConversation(conversation)) {
      throw new MemgateError(
        'CONFLICT',
        'The default conversation cannot be deleted: it is where requests that name no conversation go. ' +
          'Delete the agent instead.',
        { detailCode: 'default_conversation' },
      );
    }
    if (!(await this.store.deleteConversation(conversationId))) throw notFound(conversationId);
  }

  async messages(
    principal: Principal,
    agentId: string,
    conversationId: string,
    query: unknown,
  ): Promise<StoredMessage[]> {
    const { include_hidden: includeHidden, ...page } = parseOrThrow(conversationMessagesSchema, query ?? {}, 'query');
    await this.get(principal, agentId, conversationId);
    return this.store.listMessages(agentId, { ...page, conversationId, ...(includeHidden && { includeHidden }) });
  }

  /**
   * A new conversation whose history is a copy of `conversationId`'s visible history through
   * `at_message_id` (with the tool results answering it), or all of it. Memory is the agent's and
   * is neither copied nor reverted. See `ConversationFork` for the summary and window.
   */
  async fork(principal: Principal, agentId: string, conversationId: string, body: unknown): Promise<Conversation> {
    requireWriteScope(principal);
    const input = parseOrThrow(forkConversationSchema, body ?? {});
    await this.get(principal, agentId, conversationId);
    const at =
      input.at_message_id === undefined
        ? null
        : await this.visibleMessage(agentId, conversationId, input.at_message_id, 'at_message_id');
    const now = new Date().toISOString();
    const fork = await this.store.forkConversation({
      conversation: {
        id: newConversationId(),
        agentId,
        name: input.name ?? null,
        metadata: input.metadata ?? null,
        createdAt: now,
        updatedAt: now,
      },
      sourceId: conversationId,
      atSeq: at?.seq ?? null,
    });
    await this.answerOpenCalls(fork);
    return fork;
  }

  /**
   * A fork that ends with tool calls no result answers (client calls still pending in the source,
   * whose pending rows are not copied) gets a failed result for each, as when a client sends a new
   * message instead of results: an upstream refuses a prompt with unanswered calls.
   */
  private async answerOpenCalls(fork: Conversation): Promise<void> {
    const window = await this.store.listContextMessages(fork.id);
    const last = window.findLastIndex((message) => message.role !== 'tool');
    const calls = window[last]?.role === 'assistant' ? (window[last]?.toolCalls ?? []) : [];
    const answered = new Set(window.slice(last + 1).map((message) => message.toolCallId));
    const open = calls.filter((call) => !answered.has(call.id));
    if (open.length === 0) return;
    const at = new Date().toISOString();
    await this.store.commitStep({
      agentId: fork.agentId,
      conversationId: fork.id,
      messages: open.map((call) => ({
        id: `message-${randomUUID()}`,
        agentId: fork.agentId,
        role: 'tool',
        content: JSON.stringify({
          status: 'Failed',
          message: 'The call was not answered before the conversation was forked.',
        }),
        toolCalls: null,
        toolCallId: call.id,
        name: call.function.name,
        createdAt: at,
      })),
    });
  }

  /**
   * Hides the messages after `to_message_id` (and the tool results answering it) from the window
   * and from search, under the conversation's lock. Returns the conversation and how many it hid.
   */
  async rewind(
    principal: Principal,
    agentId: string,
    conversationId: string,
    body: unknown,
  ): Promise<{ conversation: Conversation; hidden: number }> {
    requireWriteScope(principal);
    const input = parseOrThrow(rewindConversationSchema, body ?? {});
    const conversation = await this.get(principal, agentId, conversationId);
    const hidden = await this.locked(conversationId, async () => {
      const to = await this.visibleMessage(agentId, conversationId, input.to_message_id, 'to_message_id');
      return this.store.hideMessagesAfter(conversationId, to.seq);
    });
    return { conversation, hidden };
  }

  /** Brings back every hidden message of the conversation, under its lock; returns how many. */
  async restore(
    principal: Principal,
    agentId: string,
    conversationId: string,
  ): Promise<{ conversation: Conversation; restored: number }> {
    requireWriteScope(principal);
    const conversation = await this.get(principal, agentId, conversationId);
    const restored = await this.locked(conversationId, () => this.store.restoreMessages(conversationId));
    return { conversation, restored };
  }

  private locked<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    return this.lock ? withAgentLock(this.lock, conversationId, undefined, work) : work();
  }

  /** The conversation's visible message `messageId`; 404 `message_not_found` otherwise. */
  private async visibleMessage(agentId: string, conversationId: string, messageId: string, param: string) {
    const message = await this.store.getMessage(agentId, messageId);
    if (!message || message.conversationId !== conversationId || message.hidden) {
      throw new MemgateError('NOT_FOUND', `Message ${messageId} not found in conversation ${conversationId}.`, {
        detailCode: 'message_not_found',
        param,
      });
    }
    return message;
  }

  /**
   * The conversation a turn continues, in the order of strength: one the protocol named, then
   * `metadata.conversation_id`, then a chat UI's chat id (mapped, created on first use), else the
   * agent's default conversation. A named conversation must be one of this agent's.
   */
  async resolve(principal: Principal, agentId: string, choice: ConversationChoice): Promise<string> {
    return (await this.choose(principal, agentId, choice)).conversationId;
  }

  /** As `resolve`, also telling whether the conversation was found through a chat UI's key. */
  async choose(
    principal: Principal,
    agentId: string,
    choice: ConversationChoice,
  ): Promise<{ conversationId: string; keyed: boolean }> {
    const named = choice.named ?? choice.metadata;
    if (named !== undefined && named !== agentId) {
      const conversation = await this.store.getConversation(principal.userId, named);
      if (!conversation)
        throw notFound(named, choice.named === undefined ? 'metadata.conversation_id' : 'conversation');
      if (conversation.agentId !== agentId) {
        throw new MemgateError(
          'BAD_USER_INPUT',
          `Conversation ${named} belongs to agent ${conversation.agentId}, not to ${agentId}.`,
          {
            param: choice.named === undefined ? 'metadata.conversation_id' : 'conversation',
            detailCode: 'conversation_agent_mismatch',
          },
        );
      }
      return { conversationId: named, keyed: false };
    }
    if (named === agentId || choice.key === undefined) return { conversationId: agentId, keyed: false };
    const at = new Date().toISOString();
    const conversation = await this.store.conversationForKey(agentId, choice.key, {
      id: newConversationId(),
      agentId,
      name: null,
      metadata: null,
      createdAt: at,
      updatedAt: at,
    });
    return { conversationId: conversation.id, keyed: true };
  }
}

function notFound(conversationId: string, param?: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Conversation ${conversationId} not found.`, {
    detailCode: 'conversation_not_found',
    ...(param && { param }),
  });
}
