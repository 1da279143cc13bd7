import { type Database, prepare, prepareValue } from './driver.ts';
import type { BlockHistoryRow, BlockParams, BlockRow, MemoryBlockRow } from './rows.ts';

/** An agent's block (`MemoryBlockRow`), with how many agents hold it, read through `agent_blocks ab`. */
const MEMORY_BLOCK_COLUMNS = `ab.agent_id, b.id, b.label, b.value, b."limit", b.description, b.read_only, b.version,
  (SELECT count(*) FROM agent_blocks n WHERE n.block_id = b.id) AS agent_count`;
/** A block as its own entity (`BlockRow`), with its agents in attach order (the rowid of `agent_blocks`). */
const BLOCK_COLUMNS = `b.id, b.user_id, b.label, b.value, b."limit", b.description, b.read_only, b.version,
  b.metadata, b.created_at, b.updated_at,
  (SELECT json_group_array(agent_id) FROM (SELECT agent_id FROM agent_blocks WHERE block_id = b.id ORDER BY rowid))
    AS agent_ids`;

/** Statements of blocks, their attachments to agents and their history (migration 9). */
export function prepareBlockStatements(db: Database) {
  return {
    /** Every new block starts at version 1. */
    insertBlock: prepare<BlockParams>(
      db,
      `INSERT INTO blocks
         (id, user_id, label, value, "limit", description, read_only, version, metadata, standalone, created_at, updated_at)
       VALUES
         (@id, @user_id, @label, @value, @limit, @description, @read_only, 1, @metadata, @standalone, @created_at,
          @created_at)`,
    ),
    /** [block id, version, value, actor, agent id, message id, at] */
    insertHistory: prepare<[string, number, string, string, string | null, string | null, string]>(
      db,
      `INSERT INTO block_history (block_id, version, value, actor, agent_id, message_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** [agent id, block id]: after the agent's other blocks; a no-op when it is attached already. */
    attachBlock: prepare<[string, string]>(
      db,
      `INSERT INTO agent_blocks (agent_id, block_id, position)
       VALUES (?1, ?2, (SELECT coalesce(max(position) + 1, 0) FROM agent_blocks WHERE agent_id = ?1))
       ON CONFLICT (agent_id, block_id) DO NOTHING`,
    ),
    /** [agent id, block id] */
    detachBlock: prepare<[string, string]>(db, 'DELETE FROM agent_blocks WHERE agent_id = ? AND block_id = ?'),
    blocksOfAgent: prepare<[string], MemoryBlockRow>(
      db,
      `SELECT ${MEMORY_BLOCK_COLUMNS} FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id
       WHERE ab.agent_id = ? ORDER BY ab.position`,
    ),
    blocksOfUser: prepare<[string], MemoryBlockRow>(
      db,
      `SELECT ${MEMORY_BLOCK_COLUMNS} FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id
       JOIN agents a ON a.id = ab.agent_id WHERE a.user_id = ? ORDER BY ab.agent_id, ab.position`,
    ),
    /** [agent id, label, block id]: another block of the agent's with that label. */
    labelTaken: prepareValue<[string, string, string], string>(
      db,
      `SELECT b.id FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id
       WHERE ab.agent_id = ? AND b.label = ? AND b.id <> ?`,
    ),
    /** [block id, label]: an agent the block is attached to that has another block with that label. */
    labelTakenBeside: prepareValue<[string, string], string>(
      db,
      `SELECT mine.agent_id FROM agent_blocks mine JOIN agent_blocks other ON other.agent_id = mine.agent_id
       JOIN blocks b ON b.id = other.block_id WHERE mine.block_id = ?1 AND b.label = ?2 AND b.id <> ?1 LIMIT 1`,
    ),
    /** [agent id, label]: the agent's block with that label. */
    blockOfAgent: prepare<[string, string], { id: string; version: number }>(
      db,
      `SELECT b.id, b.version FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id
       WHERE ab.agent_id = ? AND b.label = ?`,
    ),
    /** [value, at, block id]: a new version of the value. */
    writeBlockValue: prepareValue<[string, string, string], number>(
      db,
      'UPDATE blocks SET value = ?, version = version + 1, updated_at = ? WHERE id = ? RETURNING version',
    ),
    /** [value, at, block id, expected version]: writes only over that version. */
    writeBlockValueAt: prepareValue<[string, string, string, number], number>(
      db,
      `UPDATE blocks SET value = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?
       RETURNING version`,
    ),
    /** [label, value, limit, description, read only, metadata, version, updated at, block id] */
    updateBlockFields: prepare<[string, string, number, string | null, number, string | null, number, string, string]>(
      db,
      `UPDATE blocks SET label = ?, value = ?, "limit" = ?, description = ?, read_only = ?, metadata = ?, version = ?,
       updated_at = ? WHERE id = ?`,
    ),
    /** [block id, user id] */
    getBlock: prepare<[string, string], BlockRow>(
      db,
      `SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.id = ? AND b.user_id = ?`,
    ),
    /** [user id, block id] */
    blockRowid: prepareValue<[string, string], number>(db, 'SELECT rowid FROM blocks WHERE user_id = ? AND id = ?'),
    /** [user id, label or null for any, limit] */
    latestBlocks: prepare<[string, string | null, number], BlockRow>(
      db,
      `SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.user_id = ?1 AND (?2 IS NULL OR b.label = ?2)
       ORDER BY b.rowid DESC LIMIT ?3`,
    ),
    /** [user id, label or null for any, before rowid, limit] */
    blocksBefore: prepare<[string, string | null, number, number], BlockRow>(
      db,
      `SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.user_id = ?1 AND (?2 IS NULL OR b.label = ?2) AND b.rowid < ?3
       ORDER BY b.rowid DESC LIMIT ?4`,
    ),
    /** [block id] */
    blockAgentCount: prepareValue<[string], number>(db, 'SELECT count(*) FROM agent_blocks WHERE block_id = ?'),
    /** [block id, user id] */
    deleteBlock: prepare<[string, string]>(db, 'DELETE FROM blocks WHERE id = ? AND user_id = ?'),
    /**
     * [agent id]: the agent's blocks that go with it: made with an agent or an import (not through
     * /v1/blocks), and attached to no other agent.
     */
    deleteBlocksOnlyOf: prepare<[string]>(
      db,
      `DELETE FROM blocks WHERE standalone = 0 AND id IN (SELECT block_id FROM agent_blocks WHERE agent_id = ?1)
       AND NOT EXISTS (SELECT 1 FROM agent_blocks o WHERE o.block_id = blocks.id AND o.agent_id <> ?1)`,
    ),
    /** [block id, before version, limit]: newest first. */
    blockHistory: prepare<[string, number, number], BlockHistoryRow>(
      db,
      `SELECT version, value, actor, agent_id, message_id, at FROM block_history
       WHERE block_id = ? AND version < ? ORDER BY version DESC LIMIT ?`,
    ),
  };
}
