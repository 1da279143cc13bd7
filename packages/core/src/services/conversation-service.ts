import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireWriteScope } from '../auth/key-scope.ts';
import { type Conversation, isDefaultConversation, type Principal, type StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import { metadataSchema } from '../schemas/chat-request.ts';
import { NUL_MESSAGE, noNul } from '../schemas/json-limits.ts';
import type { ConversationPatch, Store } from '../store/store.ts';
import type { AgentService } from './agent-service.ts';
import { messagePageSchema } from './agent-service.ts';
import { forkConversationStub } from './conversation-fork-stub.ts';

const conversationName = z.string().trim().min(1).max(200).refine(noNul, NUL_MESSAGE);

export const createConversationSchema = z.strictObject({
  name: conversationName.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
});

export const updateConversationSchema = z.strictObject({
  name: conversationName.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
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
    const page = parseOrThrow(messagePageSchema, query ?? {}, 'query');
    await this.get(principal, agentId, conversationId);
    return this.store.listMessages(agentId, { ...page, conversationId });
  }

  /**
   * A new conversation whose history is `conversationId`'s up to `at_message_id`.
   * TO BE REPLACED AT MERGE by the sibling branch's fork (same signature).
   */
  async fork(principal: Principal, agentId: string, conversationId: string, body: unknown): Promise<Conversation> {
    requireWriteScope(principal);
    const source = await this.get(principal, agentId, conversationId);
    return forkConversationStub(this.store, source, body, newConversationId());
  }

  /**
   * The conversation a turn continues, in the order of strength: one the protocol named, then
   * `metadata.conversation_id`, then a chat UI's chat id (mapped, created on first use), else the
   * agent's default conversation. A named conversation must be one of this agent's.
   */
  async resolve(principal: Principal, agentId: string, choice: ConversationChoice): Promise<string> {
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
      return named;
    }
    if (named === agentId || choice.key === undefined) return agentId;
    const at = new Date().toISOString();
    const conversation = await this.store.conversationForKey(agentId, choice.key, {
      id: newConversationId(),
      agentId,
      name: null,
      metadata: null,
      createdAt: at,
      updatedAt: at,
    });
    return conversation.id;
  }
}

function notFound(conversationId: string, param?: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Conversation ${conversationId} not found.`, {
    detailCode: 'conversation_not_found',
    ...(param && { param }),
  });
}
