import { type Conversation, type ConversationFork, MemgateError } from '@memgate/core';
import type { Pool, PoolClient } from 'pg';
import { FORK_SQL } from './fork-migration.ts';
import { inTransaction } from './transaction.ts';

interface SourceRow {
  agent_id: string;
  start: string;
  summary: string | null;
  summary_message_count: number;
  summary_updated_at: string | null;
}

/**
 * Forks a conversation in one transaction: the new conversation (inserted by `insert`), a copy of
 * the source's visible history through the cut (new ids and seqs, so every conversation stays
 * append-only in seq order), and the source's summary and window start when the cut is at or
 * after that start (see `ConversationFork`).
 */
export function forkConversation(
  pool: Pool,
  fork: ConversationFork,
  insert: (client: PoolClient, conversation: Conversation) => Promise<Conversation>,
): Promise<Conversation> {
  return inTransaction(pool, async (client) => {
    const { rows: sources } = await client.query<SourceRow>(FORK_SQL.lockConversation, [fork.sourceId]);
    const source = sources[0];
    if (!source || source.agent_id !== fork.conversation.agentId) {
      throw new MemgateError('NOT_FOUND', `Conversation ${fork.sourceId} not found.`, {
        detailCode: 'conversation_not_found',
      });
    }
    const conversation = await insert(client, fork.conversation);
    const cut = fork.atSeq === null ? null : await cutAfter(client, fork.sourceId, fork.atSeq);
    const { rows } = await client.query<{ old_seq: string; new_seq: string }>(FORK_SQL.copyMessages, [
      fork.sourceId,
      cut,
      conversation.id,
    ]);
    const start = Number(source.start);
    if ((fork.atSeq === null || fork.atSeq >= start) && source.summary !== null) {
      const first = rows.find((row) => Number(row.old_seq) >= start);
      const windowStart = first ? Number(first.new_seq) : Number(rows.at(-1)?.new_seq ?? 0) + 1;
      await client.query(FORK_SQL.setWindow, [
        conversation.id,
        source.summary,
        source.summary_message_count,
        source.summary_updated_at,
        windowStart,
      ]);
    }
    return conversation;
  });
}

/** Hides the conversation's visible messages from the first one after `afterSeq` that is no tool result. */
export function hideMessagesAfter(pool: Pool, conversationId: string, afterSeq: number): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(FORK_SQL.lockConversation, [conversationId]);
    if (!rowCount) return 0;
    const from = await cutAfter(client, conversationId, afterSeq);
    if (from === null) return 0;
    await client.query(FORK_SQL.closeHiddenCalls, [conversationId, from]);
    const hidden = await client.query(FORK_SQL.hideFrom, [conversationId, from]);
    await client.query(FORK_SQL.rewindWindow, [conversationId, from]);
    return hidden.rowCount ?? 0;
  });
}

/** Shows every hidden message of the conversation again (one statement). */
export async function restoreMessages(pool: Pool, conversationId: string): Promise<number> {
  const { rows } = await pool.query<{ restored: number }>(FORK_SQL.restore, [conversationId]);
  return rows[0]?.restored ?? 0;
}

async function cutAfter(client: PoolClient, conversationId: string, afterSeq: number): Promise<number | null> {
  const { rows } = await client.query<{ cut: string | null }>(FORK_SQL.cutAfter, [conversationId, afterSeq]);
  const cut = rows[0]?.cut ?? null;
  return cut === null ? null : Number(cut);
}
