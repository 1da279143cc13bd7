import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationFork } from '@memgate/core';
import { MemgateError, messageSearchText } from '@memgate/core/store-kit';
import { messageScopeTokens } from './agent-token.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/**
 * Fork, rewind and restore, as the writer runs them (inside a transaction: see write-operations.ts).
 * A fork copies rows (new ids and seqs), so every conversation's messages stay append-only in seq
 * order and the window and search work on a fork exactly as on any conversation.
 */
export function writeFork(
  sql: Statements,
  fork: ConversationFork,
  insertConversation: (conversation: Conversation) => Conversation,
): Conversation {
  const source = sql.forkSource.get(fork.sourceId);
  if (!source || source.agent_id !== fork.conversation.agentId) {
    throw new MemgateError('NOT_FOUND', `Conversation ${fork.sourceId} not found.`, {
      detailCode: 'conversation_not_found',
    });
  }
  const conversation = insertConversation(fork.conversation);
  const cut = fork.atSeq === null ? null : (sql.cutAfter.get(fork.sourceId, fork.atSeq) ?? null);
  const rows = sql.visibleBefore.all(fork.sourceId, cut ?? Number.MAX_SAFE_INTEGER);
  const scope = messageScopeTokens(conversation.agentId, conversation.id);
  let windowStart: number | null = null;
  let lastSeq = 0;
  for (const row of rows) {
    const copy = { ...row, id: `message-${randomUUID()}`, conversation_id: conversation.id };
    const { seq: oldSeq, hidden: _hidden, ...params } = copy;
    const seq = Number(sql.insertMessage.run(params).lastInsertRowid);
    sql.copyAttachments.run(seq, conversation.agentId, oldSeq);
    const text = messageSearchText(toStoredMessage(row));
    if (text !== null) sql.insertMessageText.run(seq, scope, text);
    if (windowStart === null && oldSeq >= source.start) windowStart = seq;
    lastSeq = seq;
  }
  // At or after the source's window start: the same summary, and the window from the same message.
  if ((fork.atSeq === null || fork.atSeq >= source.start) && source.summary !== null) {
    sql.setSummary.run(source.summary, source.summary_message_count, source.summary_updated_at ?? '', conversation.id);
    sql.setContextStart.run(windowStart ?? lastSeq + 1, conversation.id);
  }
  return conversation;
}

/** Hides the conversation's visible messages from the first one after `afterSeq` that is no tool result. */
export function writeRewind(sql: Statements, conversationId: string, afterSeq: number): number {
  const from = sql.cutAfter.get(conversationId, afterSeq);
  if (from === undefined || from === null) return 0;
  sql.closeHiddenCalls.run(conversationId, conversationId, from);
  sql.unindexFrom.run(conversationId, from);
  const hidden = Number(sql.hideFrom.run(conversationId, from).changes);
  sql.rewindWindow.run(from, conversationId);
  return hidden;
}

/**
 * Hides the conversation's visible messages with these ids (Conversations API item delete): out of
 * search, their pending calls closed, and a new window epoch so the window cache reads anew.
 */
export function writeHideIds(sql: Statements, conversationId: string, messageIds: string[]): number {
  const ids = JSON.stringify(messageIds);
  sql.closeCallsOfIds.run(conversationId, conversationId, ids);
  sql.unindexIds.run(conversationId, ids);
  const hidden = Number(sql.hideIds.run(conversationId, ids).changes);
  if (hidden > 0) sql.newWindowEpoch.run(conversationId);
  return hidden;
}

/** Shows every hidden message of the conversation again, back in search. */
export function writeRestore(sql: Statements, conversationId: string): number {
  const rows = sql.hiddenMessages.all(conversationId);
  if (rows.length === 0) return 0;
  for (const row of rows) {
    const text = messageSearchText(toStoredMessage(row));
    if (text !== null) sql.insertMessageText.run(row.seq, messageScopeTokens(row.agent_id, conversationId), text);
  }
  sql.showAll.run(conversationId);
  sql.newWindowEpoch.run(conversationId);
  return rows.length;
}
