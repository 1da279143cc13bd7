import type { HistoryPage, MessagePage, Passage, StoredMessage } from '@memgate/core';
import { toPassage } from '@memgate/core';
import { withAttachments } from './attachments.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/**
 * The newest `page.limit` messages older than `page.before`, oldest first, of one conversation or
 * (no `page.conversationId`) of the whole agent; [] for an unknown cursor.
 */
export function readMessagePage(sql: Statements, agentId: string, page: HistoryPage): StoredMessage[] {
  const limit = Math.max(0, Math.trunc(page.limit));
  const { conversationId } = page;
  // The cursor is looked up within the agent, so another agent's message id is unknown here.
  const before = page.before === undefined ? undefined : sql.messageSeq.get(agentId, page.before);
  if (page.before !== undefined && before === undefined) return [];
  const hidden = page.includeHidden ? 1 : 0;
  let rows: ReturnType<Statements['latestMessages']['all']>;
  if (conversationId === undefined) {
    rows =
      before === undefined
        ? sql.latestMessages.all(agentId, hidden, limit)
        : sql.messagesBefore.all(agentId, hidden, before, limit);
  } else {
    rows =
      before === undefined
        ? sql.latestInConversation.all(conversationId, hidden, limit)
        : sql.conversationMessagesBefore.all(conversationId, hidden, before, limit);
    // A conversation id names its agent's rows only.
    rows = rows.filter((row) => row.agent_id === agentId);
  }
  return withAttachments(sql, agentId, oldestFirst(rows));
}

// Fetched newest first so that LIMIT keeps the newest; a page reads oldest first.
function oldestFirst(rows: ReturnType<Statements['latestMessages']['all']>): StoredMessage[] {
  return rows.reverse().map(toStoredMessage);
}

/** The same paging over archival passages. */
export function readPassagePage(sql: Statements, agentId: string, page: MessagePage): Passage[] {
  const limit = Math.max(0, Math.trunc(page.limit));
  const rows =
    page.before === undefined
      ? sql.latestPassages.all(agentId, limit)
      : (() => {
          const before = sql.passageSeq.get(agentId, page.before);
          return before === undefined ? [] : sql.passagesBefore.all(agentId, before, limit);
        })();
  return rows.reverse().map(toPassage);
}
