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

/**
 * [conversation, ids]: hides those visible messages (Conversations API item delete) in one
 * statement: closes the pending client calls they made and moves the window epoch when any was hidden.
 */
const HIDE_IDS_SQL = `WITH target AS (
    SELECT seq, tool_calls FROM messages
    WHERE conversation_id = $1 AND id = ANY($2::text[]) AND NOT hidden
    FOR UPDATE
  ), closed AS (
    DELETE FROM pending_tool_calls WHERE conversation_id = $1 AND tool_call_id IN (
      SELECT call ->> 'id' FROM target, jsonb_array_elements(target.tool_calls) AS call
      WHERE jsonb_typeof(target.tool_calls) = 'array')
  ), hid AS (
    UPDATE messages SET hidden = true WHERE conversation_id = $1 AND seq IN (SELECT seq FROM target) RETURNING 1
  ), epoch AS (
    UPDATE conversations SET window_epoch = window_epoch + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM hid)
  )
  SELECT count(*)::int AS hidden FROM hid`;

/** Hides the conversation's visible messages with these ids (one statement). */
export async function hideMessages(pool: Pool, conversationId: string, messageIds: string[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const { rows } = await pool.query<{ hidden: number }>(HIDE_IDS_SQL, [conversationId, messageIds]);
  return rows[0]?.hidden ?? 0;
}
