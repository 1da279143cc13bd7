import { z } from 'zod';
import { requireWriteScope } from '../auth/key-scope.ts';
import { type AgentLock, withAgentLock } from '../concurrency/agent-lock.ts';
import type { Conversation, Principal, StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import { inputItemSchema, type ResponseInputItem } from '../responses/response-request.ts';
import { metadataSchema } from '../schemas/chat-request.ts';
import { type ConversationService, newConversationId } from '../services/conversation-service.ts';
import type { Store } from '../store/store.ts';
import { type ConversationItem, itemsOfMessage, messageIdOfItem } from './conversation-items.ts';
import { itemWrite } from './item-input.ts';

/** OpenAI allows up to 20 items in one create request. */
const MAX_ITEMS = 20;
const itemsSchema = z.array(inputItemSchema).max(MAX_ITEMS, `At most ${MAX_ITEMS} items can be added at a time.`);
/** `include` asks for fields memgate has none of (reasoning, logprobs, hosted tool outputs): accepted, nothing to add. */
const includeSchema = z.union([z.string(), z.array(z.string())]).optional();

export const openaiConversationCreateSchema = z.strictObject({
  metadata: metadataSchema.nullable().optional(),
  items: itemsSchema.nullable().optional(),
  /** memgate's addition (OpenAI's create has no `user`): names the agent, as on the Responses API. */
  user: z.string().min(1).optional(),
});

export const openaiConversationUpdateSchema = z.strictObject({ metadata: metadataSchema.nullable() });

export const openaiItemsCreateSchema = z.strictObject({
  items: itemsSchema.min(1, 'Send at least one item.'),
  include: includeSchema,
});

export const openaiItemsPageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).optional(),
  include: includeSchema,
  /** `include` as clients that write arrays with brackets send it. */
  'include[]': includeSchema,
});

const itemQuerySchema = z.strictObject({ include: includeSchema, 'include[]': includeSchema });

/** OpenAI's `conversation` object. */
export interface OpenAIConversation {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Record<string, string>;
}

export interface ItemList {
  object: 'list';
  data: ConversationItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function openaiConversation(conversation: Conversation): OpenAIConversation {
  return {
    id: conversation.id,
    object: 'conversation',
    created_at: Math.floor(Date.parse(conversation.createdAt) / 1000),
    metadata: conversation.metadata ?? {},
  };
}

function itemList(data: ConversationItem[], hasMore: boolean): ItemList {
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

function conversationNotFound(conversationId: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Conversation ${conversationId} not found.`, {
    detailCode: 'conversation_not_found',
  });
}

function itemNotFound(itemId: string, param?: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Item ${itemId} not found in this conversation.`, {
    detailCode: 'item_not_found',
    ...(param && { param }),
  });
}

const PAGE = 100;

/**
 * OpenAI's Conversations API over memgate's conversations (the same ones, by the same ids): items
 * are the conversation's visible stored messages as Responses items (see `itemsOfMessage`),
 * adding items stores messages without a turn, deleting an item hides its messages.
 */
export class OpenAIConversations {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly lock?: AgentLock,
    private readonly maxAttachmentBytes?: number,
  ) {}

  /**
   * Creates a conversation of the agent `metadata.agent_id` names, else `user` names, with its
   * first items. Everything is checked before anything is stored.
   */
  async create(principal: Principal, body: unknown): Promise<OpenAIConversation> {
    requireWriteScope(principal);
    const input = parseOrThrow(openaiConversationCreateSchema, body ?? {});
    const named = input.metadata?.['agent_id'] ?? input.user;
    if (named === undefined) {
      throw fieldError(
        ['body', 'metadata', 'agent_id'],
        'Name the agent of the conversation: set metadata.agent_id (or user) to one of your agent ids.',
        'agent_required',
      );
    }
    const agent = await this.store.getAgent(principal.userId, named);
    if (!agent) {
      throw new MemgateError('NOT_FOUND', `Agent ${named} not found.`, {
        detailCode: 'agent_not_found',
        param: input.metadata?.['agent_id'] !== undefined ? 'metadata.agent_id' : 'user',
      });
    }
    const write = itemWrite(agent.id, (input.items ?? []) as ResponseInputItem[], [], this.maxAttachmentBytes);
    const at = new Date().toISOString();
    const conversation = await this.store.createConversation({
      id: newConversationId(),
      agentId: agent.id,
      name: null,
      metadata: input.metadata ?? null,
      createdAt: at,
      updatedAt: at,
    });
    if (write.messages.length > 0) {
      try {
        await this.store.commitStep({ agentId: agent.id, conversationId: conversation.id, ...write });
      } catch (error) {
        // Nothing is kept of a refused request: the conversation goes with its items.
        await this.store.deleteConversation(conversation.id);
        throw error;
      }
    }
    return openaiConversation(conversation);
  }

  /** The user's conversation (any of their agents'); another user's is as absent as a missing one. */
  private async conversation(principal: Principal, conversationId: string): Promise<Conversation> {
    const conversation = await this.store.getConversation(principal.userId, conversationId);
    if (!conversation) throw conversationNotFound(conversationId);
    return conversation;
  }

  async get(principal: Principal, conversationId: string): Promise<OpenAIConversation> {
    return openaiConversation(await this.conversation(principal, conversationId));
  }

  /** Replaces the metadata (OpenAI's update), keeping the name memgate's own routes set. */
  async update(principal: Principal, conversationId: string, body: unknown): Promise<OpenAIConversation> {
    requireWriteScope(principal);
    const input = parseOrThrow(openaiConversationUpdateSchema, body ?? {});
    const conversation = await this.conversation(principal, conversationId);
    const updated = await this.conversations.update(principal, conversation.agentId, conversationId, {
      metadata: input.metadata,
    });
    return openaiConversation(updated);
  }

  /** Deletes it with its messages (409 for an agent's default conversation, as on memgate's route). */
  async delete(principal: Principal, conversationId: string) {
    requireWriteScope(principal);
    const conversation = await this.conversation(principal, conversationId);
    await this.conversations.delete(principal, conversation.agentId, conversationId);
    return { id: conversationId, object: 'conversation.deleted' as const, deleted: true };
  }

  /**
   * The conversation's visible messages, newest first, `PAGE` at a time, from before `before`
   * (a message id, which may be hidden: cursors stay valid after an item is deleted).
   */
  private async *newestFirst(conversation: Conversation, before?: string): AsyncGenerator<StoredMessage> {
    let cursor = before;
    for (;;) {
      const page = await this.store.listMessages(conversation.agentId, {
        conversationId: conversation.id,
        limit: PAGE,
        includeHidden: true,
        ...(cursor !== undefined && { before: cursor }),
      });
      for (let index = page.length - 1; index >= 0; index--) {
        const message = page[index]!;
        if (!message.hidden) yield message;
      }
      if (page.length < PAGE) return;
      cursor = page[0]!.id;
    }
  }

  /** The stored message of an item id of this conversation (hidden ones too, marked), or null. */
  private async messageOfItem(conversation: Conversation, itemId: string): Promise<StoredMessage | null> {
    const messageId = messageIdOfItem(itemId);
    if (messageId === null) return null;
    const message = await this.store.getMessage(conversation.agentId, messageId);
    return message && message.conversationId === conversation.id ? message : null;
  }

  /**
   * A page of items, newest first by default (`order`), after the item `after`. A newest-first
   * page reads back from its cursor only as far as it needs; an oldest-first page reads the
   * history back to its cursor (or to the start).
   */
  async listItems(principal: Principal, conversationId: string, query: unknown): Promise<ItemList> {
    const page = parseOrThrow(openaiItemsPageSchema, query ?? {}, 'query');
    const conversation = await this.conversation(principal, conversationId);
    let cursor: StoredMessage | null = null;
    if (page.after !== undefined) {
      cursor = await this.messageOfItem(conversation, page.after);
      if (!cursor) throw itemNotFound(page.after, 'after');
    }
    const after = page.after;
    if (page.order === 'desc') {
      const items: ConversationItem[] = [];
      if (cursor && after !== undefined) {
        const own = itemsOfMessage(cursor).reverse();
        items.push(...own.slice(own.findIndex((item) => item.id === after) + 1));
      }
      for await (const message of this.newestFirst(conversation, cursor?.id)) {
        if (items.length > page.limit) break;
        items.push(...itemsOfMessage(message).reverse());
      }
      return itemList(items.slice(0, page.limit), items.length > page.limit);
    }
    const messages: StoredMessage[] = [];
    for await (const message of this.newestFirst(conversation)) {
      if (cursor && message.seq <= cursor.seq) break;
      messages.push(message);
    }
    const items: ConversationItem[] = [];
    if (cursor && after !== undefined) {
      const own = itemsOfMessage(cursor);
      items.push(...own.slice(own.findIndex((item) => item.id === after) + 1));
    }
    for (const message of messages.reverse()) items.push(...itemsOfMessage(message));
    return itemList(items.slice(0, page.limit), items.length > page.limit);
  }

  /** One visible item of the conversation; 404 `item_not_found` otherwise. */
  async getItem(principal: Principal, conversationId: string, itemId: string, query?: unknown) {
    parseOrThrow(itemQuerySchema, query ?? {}, 'query');
    const conversation = await this.conversation(principal, conversationId);
    const message = await this.messageOfItem(conversation, itemId);
    const item = message && !message.hidden ? itemsOfMessage(message).find((one) => one.id === itemId) : undefined;
    if (!item) throw itemNotFound(itemId);
    return item;
  }

  /**
   * Adds items to the conversation without running a turn (`itemWrite` says what each becomes),
   * under the conversation's lock, so it never lands inside a turn. Returns the added items.
   */
  async createItems(principal: Principal, conversationId: string, body: unknown, query?: unknown): Promise<ItemList> {
    requireWriteScope(principal);
    // openai-node sends `include` in the query of a create.
    parseOrThrow(itemQuerySchema, query ?? {}, 'query');
    const input = parseOrThrow(openaiItemsCreateSchema, body ?? {});
    const conversation = await this.conversation(principal, conversationId);
    const stored = await this.locked(conversationId, async () => {
      const pending = await this.store.listPendingToolCalls(conversationId);
      const write = itemWrite(
        conversation.agentId,
        input.items as ResponseInputItem[],
        pending,
        this.maxAttachmentBytes,
      );
      return this.store.commitStep({ agentId: conversation.agentId, conversationId, ...write });
    });
    return itemList(stored.flatMap(itemsOfMessage), false);
  }

  /**
   * Deletes an item: hides its stored message, as a rewind hides (kept, listed with
   * `include_hidden` on memgate's messages route, restorable). A call is never parted from its
   * result: an item of an assistant message that made tool calls, or a result of one, hides that
   * message with every result answering its calls. Returns the conversation, as OpenAI does.
   */
  async deleteItem(principal: Principal, conversationId: string, itemId: string): Promise<OpenAIConversation> {
    requireWriteScope(principal);
    const conversation = await this.conversation(principal, conversationId);
    await this.locked(conversationId, async () => {
      const message = await this.messageOfItem(conversation, itemId);
      if (!message || message.hidden || !itemsOfMessage(message).some((item) => item.id === itemId)) {
        throw itemNotFound(itemId);
      }
      await this.store.hideMessages(conversationId, await this.exchangeOf(conversation, message));
    });
    return openaiConversation(conversation);
  }

  /** The ids of the message and, when it is part of a tool exchange, of the whole exchange. */
  private async exchangeOf(conversation: Conversation, message: StoredMessage): Promise<string[]> {
    let caller: StoredMessage | null = message.role === 'assistant' && message.toolCalls?.length ? message : null;
    if (message.role === 'tool' && message.toolCallId) {
      for await (const earlier of this.newestFirst(conversation, message.id)) {
        if (earlier.role === 'assistant' && earlier.toolCalls?.some((call) => call.id === message.toolCallId)) {
          caller = earlier;
          break;
        }
      }
    }
    if (!caller) return [message.id];
    const calls = new Set((caller.toolCalls ?? []).map((call) => call.id));
    const ids = [caller.id];
    for await (const later of this.newestFirst(conversation)) {
      if (later.seq <= caller.seq) break;
      if (later.role === 'tool' && later.toolCallId && calls.has(later.toolCallId)) ids.push(later.id);
    }
    return ids;
  }

  private locked<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    return this.lock ? withAgentLock(this.lock, conversationId, undefined, work) : work();
  }
}
