import type { ResponseObject } from './response-object.ts';

/** A stored response: what `GET /v1/responses/{id}` returns and what `previous_response_id` continues. */
export interface ResponseRecord {
  id: string;
  agentId: string;
  conversationId: string;
  /**
   * The last message of the conversation when the response finished (null if it had none): while
   * it is still the conversation's last one, the response is the conversation's latest.
   */
  lastMessageId: string | null;
  previousResponseId: string | null;
  /** Unix seconds, as in the response object. */
  createdAt: number;
  /** The response object as returned: status, model, output items, usage, instructions, metadata. */
  response: ResponseObject;
  /** The request's input items, each with its id (`GET /v1/responses/{id}/input_items`). */
  inputItems: Record<string, unknown>[];
}
