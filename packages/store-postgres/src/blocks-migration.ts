/**
 * Migration 9: memory blocks become their own entity (issue 16), so that one block can be shared
 * by several agents, be made through `/v1/blocks`, carry a description and a read-only flag, and
 * keep the history of its values.
 *
 * `blocks.seq` and `agent_blocks.seq` are the insertion order (what SQLite's rowid gives it): a
 * page of blocks is read by it, and a block's agents are listed in the order they attached it.
 * `standalone` marks the blocks made through `/v1/blocks`, which outlive their agents.
 *
 * Every `memory_blocks` row moves into a block of its own (standalone: false) attached at its
 * position, with one history entry (actor `user`) holding its value at the time of the migration.
 *
 * `memgate_commit_step` is replaced: a step's memory writes go to the agent's blocks by label,
 * with the same version check (MG409) and missing-block error (MG404) as before, and each block
 * written gets its `updated_at` and one history row (actor `agent`, the step's agent and message).
 * Two writes of one label in one step are one row: the block's value and version after the step.
 */
export const BLOCKS_MIGRATION = `
  CREATE TABLE blocks (
    id TEXT PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    description TEXT,
    read_only BOOLEAN NOT NULL DEFAULT false,
    -- Grows with every value write, so an edit made from an older read is caught.
    version INTEGER NOT NULL DEFAULT 1,
    -- JSON object of strings, or NULL.
    metadata JSONB,
    standalone BOOLEAN NOT NULL DEFAULT false,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX blocks_user_seq ON blocks(user_id, seq);
  CREATE TABLE agent_blocks (
    agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    block_id TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
    -- The block's place among the agent's blocks.
    position INTEGER NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (agent_id, block_id)
  );
  CREATE INDEX agent_blocks_block ON agent_blocks(block_id);
  CREATE TABLE block_history (
    block_id TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    value TEXT NOT NULL,
    actor TEXT NOT NULL CHECK (actor IN ('agent', 'user', 'import')),
    agent_id TEXT,
    message_id TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (block_id, version)
  );

  ALTER TABLE agents ADD COLUMN tags JSONB NOT NULL DEFAULT '[]'::jsonb;
  ALTER TABLE agents ADD COLUMN metadata JSONB;

  ALTER TABLE memory_blocks ADD COLUMN block_id TEXT;
  UPDATE memory_blocks SET block_id = 'block-' || gen_random_uuid();
  INSERT INTO blocks (id, user_id, label, value, "limit", version, standalone, created_at, updated_at)
  SELECT mb.block_id, a.user_id, mb.label, mb.value, mb."limit", mb.version, false, a.created_at,
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM memory_blocks mb JOIN agents a ON a.id = mb.agent_id
  ORDER BY a.incarnation, mb.position;
  INSERT INTO agent_blocks (agent_id, block_id, position)
  SELECT mb.agent_id, mb.block_id, mb.position
  FROM memory_blocks mb JOIN agents a ON a.id = mb.agent_id
  ORDER BY a.incarnation, mb.position;
  INSERT INTO block_history (block_id, version, value, actor, at)
  SELECT id, version, value, 'user', updated_at FROM blocks;
  DROP TABLE memory_blocks;

  DROP FUNCTION memgate_commit_step;
  CREATE FUNCTION memgate_commit_step(
    p_agent_id TEXT, p_conversation_id TEXT,
    m_ids TEXT[], m_roles TEXT[], m_contents TEXT[], m_tool_calls JSONB[], m_tool_call_ids TEXT[], m_names TEXT[],
    m_created_at TEXT[], m_token_counts INT[], m_search_texts TEXT[], m_metadata JSONB[],
    p_move BOOLEAN, p_context_start_seq BIGINT, p_has_summary BOOLEAN, p_summary TEXT, p_summary_count INT,
    p_summary_updated_at TEXT,
    p_memory_labels TEXT[], p_memory_values TEXT[], p_memory_versions INT[], p_memory_writes INT[],
    p_memory_message_id TEXT, p_now TEXT,
    p_resolved TEXT[],
    c_ids TEXT[], c_names TEXT[], c_arguments TEXT[], c_styles TEXT[], c_created_at TEXT[]
  ) RETURNS TABLE (message_id TEXT, message_seq BIGINT) LANGUAGE plpgsql AS $fn$
  DECLARE
    v_changed TEXT[];
    v_missing TEXT;
  BEGIN
    PERFORM 1 FROM conversations WHERE id = p_conversation_id AND agent_id = p_agent_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      IF NOT EXISTS (SELECT 1 FROM agents WHERE id = p_agent_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'MG404', MESSAGE = format('Agent %s does not exist.', p_agent_id);
      END IF;
      RAISE EXCEPTION USING ERRCODE = 'MGC04',
        MESSAGE = format('Conversation %s of agent %s does not exist.', p_conversation_id, p_agent_id);
    END IF;
    IF cardinality(m_ids) > 0 THEN
      RETURN QUERY WITH inserted AS (
        INSERT INTO messages
          (id, agent_id, conversation_id, role, content, tool_calls, tool_call_id, name, created_at, token_count,
           metadata, search_vector)
        SELECT m.id, p_agent_id, p_conversation_id, m.role, m.content, m.tool_calls, m.tool_call_id, m.name,
          m.created_at, m.token_count, m.metadata, to_tsvector('english', m.search_text)
        FROM unnest(m_ids, m_roles, m_contents, m_tool_calls, m_tool_call_ids, m_names, m_created_at, m_token_counts,
            m_search_texts, m_metadata)
          WITH ORDINALITY AS m(id, role, content, tool_calls, tool_call_id, name, created_at, token_count, search_text,
            metadata, position)
        ORDER BY m.position
        RETURNING messages.id, messages.seq
      ) SELECT inserted.id, inserted.seq FROM inserted;
    END IF;
    IF p_move THEN
      UPDATE conversations SET
        context_start_seq = COALESCE(p_context_start_seq, context_start_seq),
        summary = CASE WHEN p_has_summary THEN p_summary ELSE summary END,
        summary_message_count = CASE WHEN p_has_summary THEN p_summary_count ELSE summary_message_count END,
        summary_updated_at = CASE WHEN p_has_summary THEN p_summary_updated_at ELSE summary_updated_at END
      WHERE id = p_conversation_id;
    END IF;
    IF cardinality(p_memory_labels) > 0 THEN
      -- One row per label: its last value, the version its first edit was made from (NULL: any) and
      -- how many writes it stands for (each counts one version, as a write at a time would). A
      -- shared block another agent wrote since is at another version: the row lock makes the
      -- second writer re-check the version on the committed row.
      WITH updated AS (
        UPDATE blocks b SET value = u.value, version = b.version + u.writes, updated_at = p_now
        FROM unnest(p_memory_labels, p_memory_values, p_memory_versions, p_memory_writes)
          AS u(label, value, expected, writes), agent_blocks ab
        WHERE ab.agent_id = p_agent_id AND b.id = ab.block_id AND b.label = u.label
          AND (u.expected IS NULL OR b.version = u.expected)
        RETURNING b.id, b.label, b.value, b.version
      ), recorded AS (
        INSERT INTO block_history (block_id, version, value, actor, agent_id, message_id, at)
        SELECT updated.id, updated.version, updated.value, 'agent', p_agent_id, p_memory_message_id, p_now
        FROM updated
      ) SELECT array_agg(updated.label) INTO v_changed FROM updated;
      SELECT u.label INTO v_missing FROM unnest(p_memory_labels) WITH ORDINALITY AS u(label, position)
        WHERE v_changed IS NULL OR u.label <> ALL (v_changed) ORDER BY u.position LIMIT 1;
      IF v_missing IS NOT NULL THEN
        IF EXISTS (
          SELECT 1 FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id
          WHERE ab.agent_id = p_agent_id AND b.label = v_missing
        ) THEN
          RAISE EXCEPTION USING ERRCODE = 'MG409', DETAIL = v_missing,
            MESSAGE = format('Memory block "%s" of agent %s changed since it was read.', v_missing, p_agent_id);
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'MG404',
          MESSAGE = format('Agent %s has no memory block "%s".', p_agent_id, v_missing);
      END IF;
    END IF;
    IF cardinality(p_resolved) > 0 THEN
      DELETE FROM pending_tool_calls
      WHERE agent_id = p_agent_id AND conversation_id = p_conversation_id AND tool_call_id = ANY (p_resolved);
    END IF;
    IF cardinality(c_ids) > 0 THEN
      INSERT INTO pending_tool_calls (agent_id, conversation_id, tool_call_id, name, arguments, style, created_at)
      SELECT p_agent_id, p_conversation_id, c.tool_call_id, c.name, c.arguments, c.style, c.created_at
      FROM unnest(c_ids, c_names, c_arguments, c_styles, c_created_at)
        WITH ORDINALITY AS c(tool_call_id, name, arguments, style, created_at, position)
      ORDER BY c.position;
    END IF;
  END
  $fn$;
`;
