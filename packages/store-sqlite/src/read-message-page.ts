import type { MessagePage, Passage, StoredMessage } from '@memgate/core';
import { toPassage } from '@memgate/core';
import { withAttachments } from './attachments.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/** The newest `page.limit` messages older than `page.before`, oldest first; [] for an unknown cursor. */
export function readMessagePage(sql: Statements, agentId: string, page: MessagePage): StoredMessage[] {
  const limit = Math.max(0, Math.trunc(page.limit));
  if (page.before === undefined)
    return withAttachments(sql, agentId, oldestFirst(sql.latestMessages.all(agentId, limit)));
  // The cursor is looked up within the agent, so another agent's message id is unknown here.
  const before = sql.messageSeq.get(agentId, page.before);
  return before === undefined
    ? []
    : withAttachments(sql, agentId, oldestFirst(sql.messagesBefore.all(agentId, before, limit)));
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
