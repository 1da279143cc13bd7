import type { Migration } from './migrations.ts';

/** Migration 8: the Responses API's stored responses (`previous_response_id`, `GET /v1/responses/{id}`). */
export const RESPONSES_MIGRATION: Migration = {
  version: 8,
  description: 'responses: stored Responses API responses, each in a conversation',
  up: `
    CREATE TABLE responses (
      id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      -- The conversation's last message when the response finished: while it still is, the
      -- response is the conversation's latest and previous_response_id continues it (else forks).
      last_message_id TEXT,
      previous_response_id TEXT,
      status TEXT NOT NULL,
      model TEXT NOT NULL,
      -- Unix seconds, as in the response object.
      created_at INTEGER NOT NULL,
      -- The response object and the request's input items, as JSON text.
      response TEXT NOT NULL,
      input_items TEXT NOT NULL
    );
    CREATE INDEX responses_agent ON responses(agent_id);
    CREATE INDEX responses_conversation ON responses(conversation_id);
  `,
};
