import type { ChatCallOptions } from '../dispatcher/chat-dispatcher.ts';
import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError } from '../errors/validation.ts';
import type { ConversationService } from '../services/conversation-service.ts';
import type { Store } from '../store/store.ts';
import type { ResponseRecord } from './response-record.ts';
import type { ResponseRequest } from './response-request.ts';

/** Where a response's turn runs: its agent, and the conversation named for it (if any). */
export interface ResponseTarget {
  agentId: string;
  /** The body's conversation, else (with no previous response) the one the protocol named. */
  conversationId: string | undefined;
  previous: ResponseRecord | null;
}

/** The 404 of a response that does not exist or is another user's. */
export function responseNotFound(responseId: string, param?: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Response ${responseId} not found.`, {
    detailCode: 'response_not_found',
    ...(param && { param }),
  });
}

/**
 * The agent, named in order by the conversation, the previous response, `user`, `model` (an agent
 * id) and `metadata.agent_id`; and the conversation the body names. A previous response and a
 * conversation that disagree are a 422, and so is one of those fields naming another of the user's
 * agents than the conversation's. Reads only; nothing is created here.
 */
export async function resolveResponseTarget(
  store: Store,
  principal: Principal,
  request: ResponseRequest,
  call: ChatCallOptions,
): Promise<ResponseTarget> {
  const named = typeof request.conversation === 'string' ? request.conversation : request.conversation?.id;
  const previous = request.previous_response_id
    ? await store.getResponse(principal.userId, request.previous_response_id)
    : null;
  if (request.previous_response_id && !previous) {
    throw responseNotFound(request.previous_response_id, 'previous_response_id');
  }
  const conversation = named ? await store.getConversation(principal.userId, named) : null;
  if (named && !conversation) {
    throw new MemgateError('NOT_FOUND', `Conversation ${named} not found.`, {
      param: 'conversation',
      detailCode: 'conversation_not_found',
    });
  }
  if (previous && conversation && previous.conversationId !== conversation.id) {
    throw fieldError(
      ['body', 'conversation'],
      `Response ${previous.id} belongs to conversation ${previous.conversationId}, not to ${conversation.id}: ` +
        'send one of previous_response_id and conversation, or ones that agree.',
      'conversation_mismatch',
    );
  }
  const continued = conversation?.agentId ?? previous?.agentId;
  let agentId = continued;
  for (const [param, candidate] of [
    ['user', request.user],
    ['model', request.model],
    ['metadata.agent_id', request.metadata?.['agent_id']],
  ] as const) {
    if (!candidate || candidate === continued) continue;
    const agent = await store.getAgent(principal.userId, candidate);
    if (!agent) continue;
    if (continued) {
      // As on Chat Completions: a turn never runs in another agent's conversation.
      const what = conversation ? `Conversation ${conversation.id}` : `Response ${previous!.id}`;
      throw fieldError(
        ['body', ...param.split('.')],
        `${what} belongs to agent ${continued}, not to ${agent.id}.`,
        'conversation_agent_mismatch',
      );
    }
    agentId = agent.id;
    break;
  }
  if (!agentId) {
    throw new MemgateError(
      'NOT_FOUND',
      'No agent found: name one of your agents by `model`, `user` or `metadata.agent_id`, or continue a ' +
        'conversation or a previous response.',
      { param: 'model', detailCode: 'agent_not_found' },
    );
  }
  return { agentId, conversationId: conversation?.id ?? (previous ? undefined : call.conversationId), previous };
}

/**
 * The conversation the turn runs in: the named one; else the previous response's while it is that
 * conversation's latest, or a fork of it at the response's last message when it is not; else
 * (undefined) the dispatcher's choice, as on Chat Completions.
 */
export async function conversationOfTarget(
  { store, conversations }: { store: Store; conversations: ConversationService },
  principal: Principal,
  target: ResponseTarget,
): Promise<string | undefined> {
  const { agentId, conversationId, previous } = target;
  if (conversationId !== undefined || !previous) return conversationId;
  const [last] = await store.listMessages(agentId, { limit: 1, conversationId: previous.conversationId });
  if ((last?.id ?? null) === previous.lastMessageId) return previous.conversationId;
  const fork = await conversations.fork(principal, agentId, previous.conversationId, {
    ...(previous.lastMessageId && { at_message_id: previous.lastMessageId }),
  });
  return fork.id;
}
