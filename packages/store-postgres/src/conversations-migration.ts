/**
 * Migration 6: conversations. An agent has many; each has its own window start, summary and
 * pending client tool calls. The default one has the agent's id and takes over what the agent
 * held, so every existing message and pending call moves into it.
 *
 * `conversations.incarnation` orders an agent's conversations (oldest first, the default first)
 * and tells a recreated conversation (same id, new row: a recreated agent's default one) from the
 * one a window cache knew, as `agents.incarnation` did before.
 *
 * `memgate_commit_step` is replaced: it writes one conversation's messages, window and pending
 * calls, and versioned memory writes. It locks the conversation's row first (which must be the
 * agent's): a conversation's messages then get their seqs in commit order, so a reader that has seen
 * seq S of a conversation has seen every row of it below S (what the window cache relies on).
 * Errors (SQLSTATE, see commit-step.ts): MG404 for a missing agent or memory block, MGC04 for a
 * conversation that is not the agent's, MG409 for a memory block at another version than the
 * edit's (its label in DETAIL).
 */
export const CONVERSATIONS_MIGRATION = `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    incarnation BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT,
    -- JSON object of strings, or NULL.
    metadata JSONB,
    -- Messages before this seq have left the conversation's context window.
    context_start_seq BIGINT NOT NULL DEFAULT 0,
    summary TEXT,
    summary_message_count INTEGER NOT NULL DEFAULT 0,
    summary_updated_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX conversations_agent ON conversations(agent_id, incarnation);
  -- Every agent's default conversation has the agent's id and takes over its window and summary.
  INSERT INTO conversations
    (id, agent_id, context_start_seq, summary, summary_message_count, summary_updated_at, created_at, updated_at)
  SELECT id, id, context_start_seq, summary, summary_message_count, summary_updated_at, created_at, created_at
  FROM agents ORDER BY incarnation;
  ALTER TABLE agents
    DROP COLUMN context_start_seq,
    DROP COLUMN summary,
    DROP COLUMN summary_message_count,
    DROP COLUMN summary_updated_at;

  ALTER TABLE messages ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE;
  UPDATE messages SET conversation_id = agent_id;
  ALTER TABLE messages ALTER COLUMN conversation_id SET NOT NULL;
  -- A conversation's window and history pages, and its search (the GIN index finds the matches,
  -- this one the conversation's rows when they are few).
  CREATE INDEX messages_conversation_seq ON messages(conversation_id, seq);
  ALTER TABLE pending_tool_calls ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE;
  UPDATE pending_tool_calls SET conversation_id = agent_id;
  ALTER TABLE pending_tool_calls ALTER COLUMN conversation_id SET NOT NULL;
  CREATE INDEX pending_tool_calls_conversation ON pending_tool_calls(conversation_id, position);

  -- A chat UI's chat id (or any outside key) → the conversation it was given on first use.
  CREATE TABLE conversation_keys (
    agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, key)
  );
  CREATE INDEX conversation_keys_conversation ON conversation_keys(conversation_id);

  -- Grows with every write, so an edit made from an older read is caught (parallel conversations).
  ALTER TABLE memory_blocks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

  DROP FUNCTION memgate_commit_step;
  CREATE FUNCTION memgate_commit_step(
    p_agent_id TEXT, p_conversation_id TEXT,
    m_ids TEXT[], m_roles TEXT[], m_contents TEXT[], m_tool_calls JSONB[], m_tool_call_ids TEXT[], m_names TEXT[],
    m_created_at TEXT[], m_token_counts INT[], m_search_texts TEXT[], m_metadata JSONB[],
    p_move BOOLEAN, p_context_start_seq BIGINT, p_has_summary BOOLEAN, p_summary TEXT, p_summary_count INT,
    p_summary_updated_at TEXT,
    p_memory_labels TEXT[], p_memory_values TEXT[], p_memory_versions INT[], p_memory_writes INT[],
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
      -- how many writes it stands for (each counts one version, as a write at a time would).
      WITH updated AS (
        UPDATE memory_blocks b SET value = u.value, version = b.version + u.writes
        FROM unnest(p_memory_labels, p_memory_values, p_memory_versions, p_memory_writes)
          AS u(label, value, expected, writes)
        WHERE b.agent_id = p_agent_id AND b.label = u.label AND (u.expected IS NULL OR b.version = u.expected)
        RETURNING b.label
      ) SELECT array_agg(updated.label) INTO v_changed FROM updated;
      SELECT u.label INTO v_missing FROM unnest(p_memory_labels) WITH ORDINALITY AS u(label, position)
        WHERE v_changed IS NULL OR u.label <> ALL (v_changed) ORDER BY u.position LIMIT 1;
      IF v_missing IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM memory_blocks WHERE agent_id = p_agent_id AND label = v_missing) THEN
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
