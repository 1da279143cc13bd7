import { MESSAGE_COLUMNS, TEXT_SEARCH_CONFIG } from './queries.ts';

const PASSAGE_COLUMNS = 'id, agent_id, content, embedding_model, created_at';

/**
 * The tsquery of a search: any of the terms. websearch_to_tsquery never fails on its input, and
 * each term is quoted, so no word (not even `or`) acts as query syntax; it stems the terms with
 * the same configuration as the indexed text, so `concert` finds "Concerts".
 */
const ANY_TERM = `websearch_to_tsquery('${TEXT_SEARCH_CONFIG}', $2)`;

/**
 * One ranked page and the total over all pages in one round trip: the LEFT JOIN keeps a row
 * carrying the total even when the page is empty. Best first by ts_rank_cd (cover density: more
 * of the terms, closer together, rank higher), newest first among equals, as in SQLite.
 */
function rankedPage(table: 'passages' | 'messages', columns: string, scope = ''): string {
  return `WITH hits AS (
            SELECT seq, ts_rank_cd(search_vector, ${ANY_TERM}) AS score FROM ${table}
            WHERE agent_id = $1 ${scope}AND search_vector @@ ${ANY_TERM}
          )
          SELECT total.count::int AS total, page.* FROM (SELECT count(*) FROM hits) AS total
          LEFT JOIN LATERAL (
            SELECT ${columns}, hits.score, hits.seq AS hit_seq FROM hits JOIN ${table} USING (seq)
            ORDER BY hits.score DESC, hits.seq DESC LIMIT $3 OFFSET $4
          ) AS page ON true
          ORDER BY page.score DESC, page.hit_seq DESC`;
}

/** SQL of archival memory and recall search. */
export const MEMORY_SQL = {
  insertPassages: {
    name: 'memgate_insert_passages',
    text: `INSERT INTO passages (id, agent_id, content, embedding_model, embedding, created_at)
           SELECT id, agent_id, content, embedding_model, embedding, created_at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[])
             WITH ORDINALITY AS p(id, agent_id, content, embedding_model, embedding, created_at, position)
           ORDER BY position`,
  },
  deletePassage: 'DELETE FROM passages WHERE agent_id = $1 AND id = $2',
  latestPassages: {
    name: 'memgate_latest_passages',
    text: `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = $1 ORDER BY seq DESC LIMIT $2`,
  },
  passagesBefore: {
    name: 'memgate_passages_before',
    text: `SELECT ${PASSAGE_COLUMNS} FROM passages
           WHERE agent_id = $1 AND seq < (SELECT seq FROM passages WHERE agent_id = $1 AND id = $2)
           ORDER BY seq DESC LIMIT $3`,
  },
  passagesBySeq: {
    name: 'memgate_passages_by_seq',
    text: `SELECT seq, ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = $1 AND seq = ANY($2::bigint[])`,
  },

  /** [agent, query text, limit, offset] */
  passageMatchPage: { name: 'memgate_passage_match_page', text: rankedPage('passages', PASSAGE_COLUMNS) },
  /** [agent, query text, limit, offset] */
  // Hidden messages (a rewind's) are out of search until a restore.
  messageMatchPage: {
    name: 'memgate_message_match_page',
    text: rankedPage('messages', MESSAGE_COLUMNS, 'AND NOT hidden '),
  },
  /** [agent, query text, limit, offset, conversation]: one conversation's history. */
  conversationMessageMatchPage: {
    name: 'memgate_conversation_message_match_page',
    text: rankedPage('messages', MESSAGE_COLUMNS, 'AND conversation_id = $5 AND NOT hidden '),
  },

  /** [agent, query text, candidates]: the best passage seqs by text, for fusion with the vector ranking. */
  rankPassageMatches: {
    name: 'memgate_rank_passage_matches',
    text: `SELECT seq FROM passages WHERE agent_id = $1 AND search_vector @@ ${ANY_TERM}
           ORDER BY ts_rank_cd(search_vector, ${ANY_TERM}) DESC, seq DESC LIMIT $3`,
  },
  /** [agent, model, vector size in bytes]: every vector to compare a query with. */
  passageVectors: {
    name: 'memgate_passage_vectors',
    text: `SELECT seq, embedding FROM passages
           WHERE agent_id = $1 AND embedding_model = $2 AND octet_length(embedding) = $3`,
  },
} as const;
