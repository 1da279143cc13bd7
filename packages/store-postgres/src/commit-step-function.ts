/**
 * Migration 5 (its function is replaced by migration 6, conversations-migration.ts, then 9, blocks-migration.ts; a shipped step is never edited): what lets a turn step be one round trip and a context window be read as a delta.
 *
 * `agents.incarnation` tells a recreated agent (same id, new row) from the one a cache knew.
 *
 * `memgate_commit_step` writes a step's messages, window move, memory changes and pending calls
 * in the order `writeStep` does, in one statement, hence one transaction and one round trip
 * (a function call outside BEGIN is atomic). It first locks the agent's row, which every message
 * writer does: an agent's messages then get their seqs in commit order, so a reader that has
 * seen seq S has seen every row of the agent below S (what the window cache relies on).
 * Constraint violations keep their SQLSTATE; a missing agent or memory block raises MG404 with the
 * message the store used to throw itself.
 */
export const COMMIT_STEP_MIGRATION = `
  ALTER TABLE agents ADD COLUMN incarnation BIGINT GENERATED ALWAYS AS IDENTITY;

  CREATE FUNCTION memgate_commit_step(
    p_agent_id TEXT,
    m_ids TEXT[], m_roles TEXT[], m_contents TEXT[], m_tool_calls JSONB[], m_tool_call_ids TEXT[], m_names TEXT[],
    m_created_at TEXT[], m_token_counts INT[], m_search_texts TEXT[], m_metadata JSONB[],
    p_move BOOLEAN, p_context_start_seq BIGINT, p_has_summary BOOLEAN, p_summary TEXT, p_summary_count INT,
    p_summary_updated_at TEXT,
    p_memory_labels TEXT[], p_memory_values TEXT[],
    p_resolved TEXT[],
    c_ids TEXT[], c_names TEXT[], c_arguments TEXT[], c_styles TEXT[], c_created_at TEXT[]
  ) RETURNS TABLE (message_id TEXT, message_seq BIGINT) LANGUAGE plpgsql AS $fn$
  DECLARE
    v_changed TEXT[];
    v_missing TEXT;
  BEGIN
    PERFORM 1 FROM agents WHERE id = p_agent_id FOR NO KEY UPDATE;
    IF cardinality(m_ids) > 0 THEN
      RETURN QUERY WITH inserted AS (
        INSERT INTO messages
          (id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata, search_vector)
        SELECT m.id, p_agent_id, m.role, m.content, m.tool_calls, m.tool_call_id, m.name, m.created_at, m.token_count,
          m.metadata, to_tsvector('english', m.search_text)
        FROM unnest(m_ids, m_roles, m_contents, m_tool_calls, m_tool_call_ids, m_names, m_created_at, m_token_counts,
            m_search_texts, m_metadata)
          WITH ORDINALITY AS m(id, role, content, tool_calls, tool_call_id, name, created_at, token_count, search_text,
            metadata, position)
        ORDER BY m.position
        RETURNING messages.id, messages.seq
      ) SELECT inserted.id, inserted.seq FROM inserted;
    END IF;
    IF p_move THEN
      UPDATE agents SET
        context_start_seq = COALESCE(p_context_start_seq, context_start_seq),
        summary = CASE WHEN p_has_summary THEN p_summary ELSE summary END,
        summary_message_count = CASE WHEN p_has_summary THEN p_summary_count ELSE summary_message_count END,
        summary_updated_at = CASE WHEN p_has_summary THEN p_summary_updated_at ELSE summary_updated_at END
      WHERE id = p_agent_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'MG404', MESSAGE = format('Agent %s does not exist.', p_agent_id);
      END IF;
    END IF;
    IF cardinality(p_memory_labels) > 0 THEN
      WITH updated AS (
        UPDATE memory_blocks b SET value = u.value
        FROM unnest(p_memory_labels, p_memory_values) AS u(label, value)
        WHERE b.agent_id = p_agent_id AND b.label = u.label
        RETURNING b.label
      ) SELECT array_agg(updated.label) INTO v_changed FROM updated;
      SELECT u.label INTO v_missing FROM unnest(p_memory_labels) WITH ORDINALITY AS u(label, position)
        WHERE v_changed IS NULL OR u.label <> ALL (v_changed) ORDER BY u.position LIMIT 1;
      IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'MG404',
          MESSAGE = format('Agent %s has no memory block "%s".', p_agent_id, v_missing);
      END IF;
    END IF;
    IF cardinality(p_resolved) > 0 THEN
      DELETE FROM pending_tool_calls WHERE agent_id = p_agent_id AND tool_call_id = ANY (p_resolved);
    END IF;
    IF cardinality(c_ids) > 0 THEN
      INSERT INTO pending_tool_calls (agent_id, tool_call_id, name, arguments, style, created_at)
      SELECT p_agent_id, c.tool_call_id, c.name, c.arguments, c.style, c.created_at
      FROM unnest(c_ids, c_names, c_arguments, c_styles, c_created_at)
        WITH ORDINALITY AS c(tool_call_id, name, arguments, style, created_at, position)
      ORDER BY c.position;
    END IF;
  END
  $fn$;
`;
