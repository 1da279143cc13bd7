import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isReservedToolName } from '../agent/base-tools.ts';
import type { Conversation, NewMessage, PendingToolCall, StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import type { Store } from '../store/store.ts';

// TO BE REPLACED AT MERGE by the fork of conversations (issue 15 part 3, sibling branch): only here
// so that the Responses API's fork from an older response compiles and runs on this branch.

const forkSchema = z.strictObject({ at_message_id: z.string().min(1).optional() });
const PAGE = 500;

/** A new conversation holding copies of `source`'s history up to `at_message_id` (all of it without). */
export async function forkConversationStub(
  store: Store,
  source: Conversation,
  body: unknown,
  newId: string,
): Promise<Conversation> {
  const { at_message_id: at } = parseOrThrow(forkSchema, body ?? {});
  const history: StoredMessage[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.listMessages(source.agentId, {
      conversationId: source.id,
      limit: PAGE,
      ...(before && { before }),
    });
    history.unshift(...page);
    if (page.length < PAGE) break;
    before = page[0]?.id;
  }
  if (at) {
    const index = history.findIndex((message) => message.id === at);
    if (index < 0) throw new MemgateError('NOT_FOUND', `Message ${at} not found.`, { detailCode: 'message_not_found' });
    history.length = index + 1;
  }
  const now = new Date().toISOString();
  const conversation = await store.createConversation({
    id: newId,
    agentId: source.agentId,
    name: null,
    metadata: null,
    createdAt: now,
    updatedAt: now,
  });
  if (history.length === 0) return conversation;
  const messages: NewMessage[] = history.map(({ seq: _seq, conversationId: _conversation, ...message }) => ({
    ...message,
    id: `message-${randomUUID()}`,
  }));
  const last = history.at(-1);
  const pending: PendingToolCall[] =
    last?.role === 'assistant'
      ? (last.toolCalls ?? [])
          .filter((call) => !isReservedToolName(call.function.name))
          .map((call) => ({
            agentId: source.agentId,
            toolCallId: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
            style: 'tool',
            createdAt: now,
          }))
      : [];
  await store.commitStep({
    agentId: source.agentId,
    conversationId: conversation.id,
    messages,
    addPendingToolCalls: pending,
  });
  return conversation;
}
