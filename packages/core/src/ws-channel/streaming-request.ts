import type { ChatCompletionChunk } from '../schemas/chat-response.ts';

/** The body the channel hands the dispatcher, and whether the client itself asked for usage. */
export interface StreamingRequest {
  body: Record<string, unknown>;
  clientWantsUsage: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A turn on the channel always streams, and always asks the dispatcher for the usage chunk so the
 * final `done` can carry a complete `chat.completion`; the usage chunk is only forwarded to clients
 * that asked for it. Values of the wrong type are left as sent, so they fail validation as on REST.
 */
export function streamingRequest(request: Record<string, unknown>): StreamingRequest {
  const body = { ...request };
  const stream = body['stream'];
  if (stream === undefined || stream === null || typeof stream === 'boolean') body['stream'] = true;
  const options = body['stream_options'];
  const clientWantsUsage = isRecord(options) && options['include_usage'] === true;
  if (options === undefined || options === null) body['stream_options'] = { include_usage: true };
  else if (isRecord(options)) body['stream_options'] = { ...options, include_usage: true };
  return { body, clientWantsUsage };
}

/** The trailing chunk that carries only the usage (`choices: []`). */
export function isUsageChunk(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.length === 0 && chunk.usage !== undefined && chunk.usage !== null;
}
