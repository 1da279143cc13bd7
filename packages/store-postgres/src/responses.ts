import type { ResponseRecord } from '@memgate/core';
import { type ResponseRecordRow, toResponseRecord } from '@memgate/core/store-kit';
import type { Pool } from 'pg';
import { translateConstraints } from './postgres-errors.ts';

/**
 * Migration 8: the Responses API's stored responses. The response object and the input items are
 * JSON text rather than JSONB: JSONB cannot hold `\u0000`, which a client's string may carry.
 */
export const RESPONSES_MIGRATION = `
  CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    -- The conversation's last message when the response finished: while it still is, the response
    -- is the conversation's latest and previous_response_id continues it (else forks it).
    last_message_id TEXT,
    previous_response_id TEXT,
    status TEXT NOT NULL,
    model TEXT NOT NULL,
    -- Unix seconds, as in the response object.
    created_at BIGINT NOT NULL,
    response TEXT NOT NULL,
    input_items TEXT NOT NULL
  );
  CREATE INDEX responses_agent ON responses(agent_id);
  CREATE INDEX responses_conversation ON responses(conversation_id);
`;

const COLUMNS =
  'r.id, r.agent_id, r.conversation_id, r.last_message_id, r.previous_response_id, r.created_at, r.response, r.input_items';

const SQL = {
  insert: {
    name: 'memgate_insert_response',
    text: `INSERT INTO responses (id, agent_id, conversation_id, last_message_id, previous_response_id, status, model,
             created_at, response, input_items)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  },
  /** [response, user]: another user's response reads as a missing one. */
  get: {
    name: 'memgate_get_response',
    text: `SELECT ${COLUMNS} FROM responses r JOIN agents a ON a.id = r.agent_id WHERE r.id = $1 AND a.user_id = $2`,
  },
  /** [response, user] */
  delete: {
    name: 'memgate_delete_response',
    text: 'DELETE FROM responses r USING agents a WHERE r.id = $1 AND a.id = r.agent_id AND a.user_id = $2',
  },
};

/** The Responses API's records on PostgreSQL: one statement (one round trip) each. */
export class PostgresResponses {
  constructor(private readonly pool: Pool) {}

  async save(record: ResponseRecord): Promise<void> {
    const messages = {
      conflict: `Response ${record.id} already exists.`,
      missing: `Conversation ${record.conversationId} does not exist.`,
    };
    await translateConstraints(messages, () =>
      this.pool.query({
        ...SQL.insert,
        values: [
          record.id,
          record.agentId,
          record.conversationId,
          record.lastMessageId,
          record.previousResponseId,
          record.response.status,
          record.response.model,
          record.createdAt,
          JSON.stringify(record.response),
          JSON.stringify(record.inputItems),
        ],
      }),
    );
  }

  async get(userId: string, responseId: string): Promise<ResponseRecord | null> {
    const { rows } = await this.pool.query<ResponseRecordRow>({ ...SQL.get, values: [responseId, userId] });
    return rows[0] ? toResponseRecord(rows[0]) : null;
  }

  async delete(userId: string, responseId: string): Promise<boolean> {
    return ((await this.pool.query({ ...SQL.delete, values: [responseId, userId] })).rowCount ?? 0) > 0;
  }
}
