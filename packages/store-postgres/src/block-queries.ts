/** A block's columns with the agents it is attached to, in the order they attached it (`b` is the block). */
const BLOCK_WITH_AGENTS = `b.id, b.user_id, b.label, b.value, b."limit", b.description, b.read_only, b.version,
  b.metadata, b.created_at, b.updated_at,
  COALESCE((SELECT json_agg(ab.agent_id ORDER BY ab.seq) FROM agent_blocks ab WHERE ab.block_id = b.id), '[]'::json)
    AS agent_ids`;

/** SQL of blocks of their own (blocks-migration.ts): `/v1/blocks`, attaching, history. */
export const BLOCK_SQL = {
  /**
   * [ids, user, labels, values, limits, descriptions, read only, metadata, standalone, created at,
   * actor]: blocks with their first history entry (version 1), in one statement.
   */
  insertBlocks: `WITH inserted AS (
                   INSERT INTO blocks (id, user_id, label, value, "limit", description, read_only, metadata, standalone,
                     created_at, updated_at)
                   SELECT b.id, $2, b.label, b.value, b.lim, b.description, b.read_only, b.metadata, $9, b.created_at,
                     b.created_at
                   FROM unnest($1::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::boolean[], $8::jsonb[],
                       $10::text[])
                     WITH ORDINALITY AS b(id, label, value, lim, description, read_only, metadata, created_at, position)
                   ORDER BY b.position
                   RETURNING id, version, value, created_at
                 )
                 INSERT INTO block_history (block_id, version, value, actor, at)
                 SELECT id, version, value, $11, created_at FROM inserted`,
  /** [agent, block ids]: attaches them after the agent's other blocks, in their order. */
  attachBlocks: `INSERT INTO agent_blocks (agent_id, block_id, position)
                 SELECT $1, x.block_id,
                   (SELECT COALESCE(MAX(position) + 1, 0) FROM agent_blocks WHERE agent_id = $1) + x.position - 1
                 FROM unnest($2::text[]) WITH ORDINALITY AS x(block_id, position)
                 ORDER BY x.position`,
  /** [block ids, user]: the user's blocks among them, locked against a delete until the transaction ends. */
  lockUserBlocks: 'SELECT id, label FROM blocks WHERE id = ANY ($1::text[]) AND user_id = $2 FOR KEY SHARE',
  /** [agent]: the labels of the agent's blocks, with their ids. */
  agentLabels: `SELECT b.id, b.label FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id WHERE ab.agent_id = $1`,
  /** [agent, user]: locks the user's agent, so that its labels stay unique while a block joins it. */
  lockUserAgent: 'SELECT 1 FROM agents WHERE id = $1 AND user_id = $2 FOR NO KEY UPDATE',
  /** [block]: locks the agents the block is attached to, in a fixed order. */
  lockAgentsOfBlock: `SELECT 1 FROM agents WHERE id IN (SELECT agent_id FROM agent_blocks WHERE block_id = $1)
                      ORDER BY id FOR NO KEY UPDATE`,
  /** [block, label]: whether an agent the block is attached to has another block with this label. */
  labelTakenNextTo: `SELECT 1 FROM agent_blocks mine JOIN agent_blocks other ON other.agent_id = mine.agent_id
                       JOIN blocks o ON o.id = other.block_id
                     WHERE mine.block_id = $1 AND o.id <> $1 AND o.label = $2 LIMIT 1`,

  /** [block, user] */
  getBlock: `SELECT ${BLOCK_WITH_AGENTS} FROM blocks b WHERE b.id = $1 AND b.user_id = $2`,
  /** [block, user]: the block, locked for a write, with its current value and version. */
  lockBlock: `SELECT id, label, value, version FROM blocks WHERE id = $1 AND user_id = $2 FOR NO KEY UPDATE`,
  /**
   * [user, cursor id or NULL, label or NULL, limit]: the newest blocks before the cursor. An
   * unknown cursor (or another user's) makes the subquery NULL, and `seq < NULL` matches nothing.
   */
  listBlocks: `SELECT ${BLOCK_WITH_AGENTS} FROM blocks b
               WHERE b.user_id = $1 AND ($3::text IS NULL OR b.label = $3)
                 AND ($2::text IS NULL OR b.seq < (SELECT seq FROM blocks WHERE user_id = $1 AND id = $2))
               ORDER BY b.seq DESC LIMIT $4`,
  /**
   * [block, set?/value pairs of label, value, limit, description, read only, metadata, at, value
   * written?]: the fields the patch sets; a written value moves the version.
   */
  updateBlock: `UPDATE blocks SET
                  label = CASE WHEN $2::boolean THEN $3 ELSE label END,
                  value = CASE WHEN $4::boolean THEN $5 ELSE value END,
                  "limit" = CASE WHEN $6::boolean THEN $7::int ELSE "limit" END,
                  description = CASE WHEN $8::boolean THEN $9 ELSE description END,
                  read_only = CASE WHEN $10::boolean THEN $11::boolean ELSE read_only END,
                  metadata = CASE WHEN $12::boolean THEN $13::jsonb ELSE metadata END,
                  updated_at = $14,
                  version = CASE WHEN $15::boolean THEN version + 1 ELSE version END
                WHERE id = $1 RETURNING version, value, updated_at`,
  /** [block, version, value, actor, agent, message, at] */
  insertHistory: `INSERT INTO block_history (block_id, version, value, actor, agent_id, message_id, at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  /** [block, user]: the block, locked against attaching, and whether any agent has it. */
  lockForDelete: `SELECT EXISTS (SELECT 1 FROM agent_blocks WHERE block_id = b.id) AS attached
                  FROM blocks b WHERE b.id = $1 AND b.user_id = $2 FOR UPDATE`,
  deleteBlock: 'DELETE FROM blocks WHERE id = $1',
  /** [agent, block, user] */
  detachBlock: `DELETE FROM agent_blocks ab USING agents a
                WHERE ab.agent_id = $1 AND ab.block_id = $2 AND a.id = ab.agent_id AND a.user_id = $3`,
  /**
   * [block, user, before version or NULL, limit]: no row when the block is not the user's, one row
   * with NULL history columns when it has no entry in the page.
   */
  blockHistory: `SELECT h.version, h.value, h.actor, h.agent_id, h.message_id, h.at FROM blocks b
                 LEFT JOIN LATERAL (
                   SELECT * FROM block_history WHERE block_id = b.id AND ($3::int IS NULL OR version < $3::int)
                   ORDER BY version DESC LIMIT $4
                 ) h ON true
                 WHERE b.id = $1 AND b.user_id = $2 ORDER BY h.version DESC`,
} as const;
