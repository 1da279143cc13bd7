import type { ResponseRecord } from '@memgate/core';
import type { ResponseRecordRow } from '@memgate/core/store-kit';
import { type Database, prepare } from './driver.ts';

/** A `responses` row (migration 8): the response object and its input items as JSON text. */
export interface ResponseRow extends ResponseRecordRow {
  status: string;
  model: string;
  created_at: number;
}

const RESPONSE_COLUMNS =
  'id, agent_id, conversation_id, last_message_id, previous_response_id, status, model, created_at, response, input_items';

/** The statements of the Responses API's records. */
export function prepareResponseStatements(db: Database) {
  return {
    insertResponse: prepare<ResponseRow>(
      db,
      `INSERT INTO responses (${RESPONSE_COLUMNS})
       VALUES (@id, @agent_id, @conversation_id, @last_message_id, @previous_response_id, @status, @model,
               @created_at, @response, @input_items)`,
    ),
    // Scoped by the agent's user, so another user's response reads as a missing one.
    getResponse: prepare<[string, string], ResponseRow>(
      db,
      `SELECT ${RESPONSE_COLUMNS.split(', ')
        .map((column) => `r.${column}`)
        .join(', ')}
       FROM responses r JOIN agents a ON a.id = r.agent_id
       WHERE r.id = ? AND a.user_id = ?`,
    ),
    deleteResponse: prepare<[string, string]>(
      db,
      'DELETE FROM responses WHERE id = ? AND agent_id IN (SELECT id FROM agents WHERE user_id = ?)',
    ),
  };
}

export function toResponseRow(record: ResponseRecord): ResponseRow {
  return {
    id: record.id,
    agent_id: record.agentId,
    conversation_id: record.conversationId,
    last_message_id: record.lastMessageId,
    previous_response_id: record.previousResponseId,
    status: record.response.status,
    model: record.response.model,
    created_at: record.createdAt,
    // JSON text escapes NUL and lone surrogates, so any string the client sent is stored as it is.
    response: JSON.stringify(record.response),
    input_items: JSON.stringify(record.inputItems),
  };
}
