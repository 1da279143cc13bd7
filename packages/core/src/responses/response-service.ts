import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { ChatCallOptions, ChatDispatcher } from '../dispatcher/chat-dispatcher.ts';
import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import { chatCompletionRequestSchema } from '../schemas/chat-request.ts';
import type { ChatCompletionChunk } from '../schemas/chat-response.ts';
import type { ConversationService } from '../services/conversation-service.ts';
import type { Store } from '../store/store.ts';
import { assertResponseSupported, chatFieldsOf } from './response-checks.ts';
import { type ResponseStreamEvent, responseEventsOf } from './response-events.ts';
import { chatMessagesOf, chatResponseFormatOf, chatToolsOf, inputItemsOf, storedInputItems } from './response-input.ts';
import { completedResponse, initialResponse, type ResponseObject } from './response-object.ts';
import type { ResponseRecord } from './response-record.ts';
import { type ResponseRequest, responseRequestSchema } from './response-request.ts';
import { conversationOfTarget, resolveResponseTarget, responseNotFound } from './response-target.ts';

export interface ResponseServiceOptions {
  store: Store;
  chat: ChatDispatcher;
  conversations: ConversationService;
}

export const inputItemsPageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).optional(),
  include: z.unknown().optional(),
});

/** A new response id, shaped like OpenAI's (`resp_…`). */
export function newResponseId(): string {
  return `resp_${randomUUID().replaceAll('-', '')}`;
}

interface PreparedResponse {
  id: string;
  request: ResponseRequest;
  agentId: string;
  chatBody: Record<string, unknown>;
  call: ChatCallOptions;
  inputItems: Record<string, unknown>[];
  createdAt: number;
}

interface InFlight {
  userId: string;
  controller: AbortController;
  finished: Promise<ResponseObject>;
}

/**
 * OpenAI's Responses API over the Chat Completions dispatcher: the request becomes a chat turn in
 * the conversation it names (or continues, or forks), and the turn's completion or chunks become
 * the response object or its typed events. Stored responses are what `previous_response_id` names.
 */
export class ResponseService {
  readonly #inFlight = new Map<string, InFlight>();

  constructor(private readonly options: ResponseServiceOptions) {}

  /** Runs one turn and returns its finished `response`. */
  async create(principal: Principal, body: unknown, call: ChatCallOptions = {}): Promise<ResponseObject> {
    const prepared = await this.prepare(principal, body, call, false);
    const completion = await this.options.chat.complete(principal, prepared.chatBody, prepared.call);
    const response = completedResponse(this.initial(prepared), completion);
    await this.save(prepared, response);
    return response;
  }

  /**
   * Runs one turn as the Responses API's typed events. Resolves once the turn has its first output,
   * so a refused request still rejects here; later failures end the events with `response.failed`.
   * Adapters must finish or `return()` the iterator.
   */
  async stream(
    principal: Principal,
    body: unknown,
    call: ChatCallOptions = {},
  ): Promise<AsyncGenerator<ResponseStreamEvent>> {
    const prepared = await this.prepare(principal, body, call, true);
    const controller = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, controller.signal]) : controller.signal;
    let settle: (response: ResponseObject) => void = () => undefined;
    const finished = new Promise<ResponseObject>((resolve) => {
      settle = resolve;
    });
    // In flight from now on: a cancel may come before the turn's first output.
    this.#inFlight.set(prepared.id, { userId: principal.userId, controller, finished });
    let chunks: AsyncIterableIterator<ChatCompletionChunk>;
    try {
      chunks = await this.options.chat.stream(principal, prepared.chatBody, { ...prepared.call, signal });
    } catch (error) {
      this.#inFlight.delete(prepared.id);
      settle({ ...this.initial(prepared), status: controller.signal.aborted ? 'cancelled' : 'failed' });
      throw error;
    }
    const inFlight = this.#inFlight;
    const initial = this.initial(prepared);
    const events = responseEventsOf(chunks, initial, {
      finish: async (response) => {
        inFlight.delete(prepared.id);
        settle(response);
        await this.save(prepared, response);
      },
      cancelled: () => controller.signal.aborted,
      ...(call.context && { requestId: call.context.requestId }),
    });
    async function* guarded(): AsyncGenerator<ResponseStreamEvent> {
      try {
        yield* events;
      } finally {
        inFlight.delete(prepared.id);
        // Left unread (its client went away): a cancel waiting on it gets the response as it began.
        settle({ ...initial, status: 'cancelled' });
        await chunks.return?.();
      }
    }
    return guarded();
  }

  /** The stored response; another user's, a deleted one or one made with `store: false` is 404. */
  async get(principal: Principal, responseId: string): Promise<ResponseObject> {
    return (await this.record(principal, responseId)).response;
  }

  async delete(principal: Principal, responseId: string): Promise<{ id: string; object: 'response'; deleted: true }> {
    requireWriteScope(principal);
    if (!(await this.options.store.deleteResponse(principal.userId, responseId))) throw responseNotFound(responseId);
    return { id: responseId, object: 'response', deleted: true };
  }

  /** The request's input items, newest first unless `order=asc`, paged by `after` and `limit`. */
  async inputItems(principal: Principal, responseId: string, query: unknown) {
    const page = parseOrThrow(inputItemsPageSchema, query ?? {}, 'query');
    const record = await this.record(principal, responseId);
    const items = page.order === 'asc' ? [...record.inputItems] : [...record.inputItems].reverse();
    const start = page.after === undefined ? 0 : items.findIndex((item) => item['id'] === page.after) + 1;
    const data = start === 0 && page.after !== undefined ? [] : items.slice(start, start + page.limit);
    return {
      object: 'list' as const,
      data,
      first_id: (data[0]?.['id'] as string | undefined) ?? null,
      last_id: (data.at(-1)?.['id'] as string | undefined) ?? null,
      has_more: start + page.limit < items.length,
    };
  }

  /**
   * Stops a streaming response in flight (its stream ends with `response.failed`, status
   * `cancelled`) and returns it. One that is no longer in flight is refused, as OpenAI refuses to
   * cancel a response that is not a running background one.
   */
  async cancel(principal: Principal, responseId: string): Promise<ResponseObject> {
    requireWriteScope(principal);
    const running = this.#inFlight.get(responseId);
    if (running && running.userId === principal.userId) {
      running.controller.abort(
        new MemgateError('BAD_REQUEST', 'The response was cancelled.', { detailCode: 'cancelled' }),
      );
      return running.finished;
    }
    const record = await this.record(principal, responseId);
    throw new MemgateError(
      'BAD_REQUEST',
      `Response ${responseId} is ${record.response.status}: only a response streaming in flight can be cancelled.`,
      { detailCode: 'response_not_cancellable' },
    );
  }

  private async record(principal: Principal, responseId: string): Promise<ResponseRecord> {
    const record = await this.options.store.getResponse(principal.userId, responseId);
    if (!record) throw responseNotFound(responseId);
    return record;
  }

  private initial(prepared: PreparedResponse): ResponseObject {
    return initialResponse(prepared.request, {
      id: prepared.id,
      createdAt: prepared.createdAt,
      model: (prepared.chatBody['model'] as string) ?? prepared.agentId,
      conversationId: prepared.call.timing?.conversationId ?? prepared.agentId,
    });
  }

  private async save(prepared: PreparedResponse, response: ResponseObject): Promise<void> {
    if (prepared.request.store === false) return;
    const conversationId = response.conversation?.id ?? prepared.agentId;
    // The turn's own last message, known under its lock; read only when the turn stored none.
    const lastMessageId =
      prepared.call.timing?.lastMessageId ??
      (await this.options.store.listMessages(prepared.agentId, { limit: 1, conversationId }))[0]?.id ??
      null;
    await this.options.store.saveResponse({
      id: prepared.id,
      agentId: prepared.agentId,
      conversationId,
      lastMessageId,
      previousResponseId: prepared.request.previous_response_id ?? null,
      createdAt: prepared.createdAt,
      response,
      inputItems: prepared.inputItems,
    });
  }

  private async prepare(
    principal: Principal,
    body: unknown,
    call: ChatCallOptions,
    streaming: boolean,
  ): Promise<PreparedResponse> {
    requireWriteScope(principal);
    const request = parseOrThrow(responseRequestSchema, body);
    assertResponseSupported(request);
    const items = inputItemsOf(request.input);
    const chatBody: Record<string, unknown> = {
      model: request.model ?? '',
      messages: chatMessagesOf(request, items),
      ...chatToolsOf(request),
      ...chatFieldsOf(request),
      ...(streaming && { stream: true, stream_options: { include_usage: true } }),
    };
    const responseFormat = chatResponseFormatOf(request);
    if (responseFormat) chatBody['response_format'] = responseFormat;
    const target = await resolveResponseTarget(this.options.store, principal, request, call);
    const { agentId } = target;
    chatBody['user'] = agentId;
    if (!chatBody['model']) chatBody['model'] = agentId;
    // Refuse a bad body before a fork is made for it: nothing is stored for a refused request.
    parseOrThrow(chatCompletionRequestSchema, chatBody);
    this.options.chat.assertKnownModel(chatBody['model'] as string, agentId);
    // A turn over its caller's limits is refused before a fork is made for it, too.
    const admission = await this.options.chat.admit(principal);
    let forked: string | undefined;
    try {
      forked = await conversationOfTarget(this.options, principal, target);
    } catch (error) {
      await admission?.release();
      throw error;
    }
    const timing = call.timing ?? { upstreamMs: 0, upstreamCalls: 0 };
    return {
      id: newResponseId(),
      request,
      agentId,
      chatBody,
      call: { ...call, timing, admission, ...(forked !== undefined && { conversationId: forked }) },
      inputItems: storedInputItems(items),
      createdAt: Math.floor(Date.now() / 1000),
    };
  }
}
