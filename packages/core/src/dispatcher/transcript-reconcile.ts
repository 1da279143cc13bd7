import { isReservedToolName } from '../agent/base-tools.ts';
import type { StoredMessage } from '../domain/types.ts';
import type { ChatMessageInput } from '../schemas/chat-request.ts';
import type { Store } from '../store/store.ts';
import { extractNewInput, type NewInputOptions } from './new-input.ts';
import { unansweredInput } from './retry-tail.ts';

/** How a Chat Completions request's transcript is treated (`X-Memgate-Transcript`). */
export type TranscriptMode = 'append' | 'reconcile';

/** A user message of a transcript or of a stored history, and whether an assistant answer follows it. */
interface UserTurn {
  text: string;
  answered: boolean;
}

const PAGE = 1000;

/**
 * Reconciles a chat UI's transcript with the stored conversation before a turn, and returns how
 * many messages it hid. The rule (docs/conversations.md, "Transcript reconciliation"):
 *
 * - Both sides are reduced to their **user messages**, in order, each marked *answered* when an
 *   assistant message comes after it (anywhere later). Stored assistant turns hold tool calls,
 *   tool results and system notes the client never saw, and the client's copy of a reply may be
 *   reformatted, so replies are matched by place (the *answered* mark), never by text.
 * - User messages are compared by their text (images aside), trimmed.
 * - The first stored user message that differs from the client's message at the same place, that
 *   the client no longer sends, or that is answered while the client sends it as new input (a
 *   "Regenerate") is the divergence: the conversation is rewound to just before it (it and
 *   everything after it are hidden), so the turn then stores the client's version once.
 * - A stored unanswered user message equal to the new input is a failed attempt, not a divergence
 *   (the retry rule already keeps it from being stored twice). A transcript longer than the stored
 *   history is no divergence: only its new input is stored, as always.
 */
export async function reconcileTranscript(
  store: Store,
  agentId: string,
  conversationId: string,
  messages: readonly ChatMessageInput[],
  options: ReconcileOptions = {},
): Promise<number> {
  const history = await visibleHistory(store, agentId, conversationId);
  const sent = sentUserTurns(messages);
  const stored = storedUserTurns(history);
  const at = firstDivergence(sent, stored);
  if (!at) return 0;
  if (options.unrelated === 'append' && sharesNothing(sent, stored)) return 0;
  // Bad input must change nothing: the request's new input is checked against the conversation as
  // the rewind will leave it (its pending calls less those the hidden messages made) before anything
  // is hidden. The turn checks it again, for real, on what it then reads.
  const kept = history.filter((message) => message.seq < at.seq);
  const closed = new Set(
    history.filter((message) => message.seq >= at.seq).flatMap((message) => message.toolCalls?.map((c) => c.id) ?? []),
  );
  const pending = (await store.listPendingToolCalls(conversationId)).filter((call) => !closed.has(call.toolCallId));
  extractNewInput(agentId, [...messages], pending, unansweredInput(kept, isReservedToolName), options);
  return store.hideMessagesAfter(conversationId, at.seq - 1);
}

export interface ReconcileOptions extends NewInputOptions {
  /**
   * What a transcript whose first user message is not the chat's first is: `rewind` (the whole
   * chat was edited; the explicit `X-Memgate-Transcript: reconcile`), or `append` (reconciling by
   * default for a chat UI's chat: such a request is the UI's own background task, a title or tags
   * prompt sent with the chat's id, and must not hide the chat).
   */
  unrelated?: 'append' | 'rewind';
}

/** True when the transcript's first user message is not the stored conversation's first. */
export function sharesNothing(sent: readonly UserTurn[], stored: readonly UserTurn[]): boolean {
  const first = stored[0];
  return first !== undefined && sent[0]?.text.trim() !== first.text.trim();
}

/** The first stored user message that the transcript does not continue (see `reconcileTranscript`). */
export function firstDivergence<S extends UserTurn>(sent: readonly UserTurn[], stored: readonly S[]): S | undefined {
  return stored.find((turn, index) => {
    const client = sent[index];
    if (!client) return true;
    if (client.text.trim() !== turn.text.trim()) return true;
    return turn.answered && !client.answered;
  });
}

type UserContent = Extract<ChatMessageInput, { role: 'user' }>['content'];

/** A user message's text as it is stored (see `userMessageContent`), images left out, nothing validated. */
function userText(content: UserContent): string {
  if (typeof content === 'string') return content;
  const images = content.some((part) => part.type === 'image_url');
  const texts = content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : ''));
  return (images ? texts.filter((text) => text !== '') : texts).join('\n');
}

function sentUserTurns(messages: readonly ChatMessageInput[]): UserTurn[] {
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant');
  return messages.flatMap((message, index) => {
    if (message.role !== 'user') return [];
    return [{ text: userText(message.content), answered: index < lastAssistant }];
  });
}

function storedUserTurns(history: readonly StoredMessage[]): (UserTurn & { seq: number })[] {
  const lastAssistant = history.findLastIndex((message) => message.role === 'assistant');
  return history.flatMap((message, index) =>
    message.role === 'user' ? [{ text: message.content ?? '', answered: index < lastAssistant, seq: message.seq }] : [],
  );
}

/** The conversation's whole visible history, oldest first. */
async function visibleHistory(store: Store, agentId: string, conversationId: string): Promise<StoredMessage[]> {
  const pages: StoredMessage[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.listMessages(agentId, { conversationId, limit: PAGE, ...(before && { before }) });
    pages.unshift(page);
    if (page.length < PAGE) break;
    before = page[0]!.id;
  }
  return pages.flat();
}
