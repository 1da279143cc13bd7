import type { MessagePage } from '@memgate/core';
import type { Pool, QueryResultRow } from 'pg';

/** A named statement of the store: [agent, limit] for the newest rows, [agent, cursor id, limit] before a cursor. */
interface PageQuery {
  name: string;
  text: string;
}

/**
 * The newest `page.limit` rows before the cursor, oldest first; [] for an unknown cursor (the
 * statements look the cursor up within the agent, so another agent's id is unknown too).
 */
export async function readPage<Row extends QueryResultRow>(
  pool: Pool,
  agentId: string,
  page: MessagePage,
  latest: PageQuery,
  before: PageQuery,
): Promise<Row[]> {
  const limit = Math.max(0, Math.trunc(page.limit));
  const query =
    page.before === undefined
      ? { ...latest, values: [agentId, limit] }
      : { ...before, values: [agentId, page.before, limit] };
  // Fetched newest first so that LIMIT keeps the newest; a page reads oldest first.
  return (await pool.query<Row>(query)).rows.reverse();
}
