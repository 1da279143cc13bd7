import { z } from 'zod';
import { MemgateError } from '../errors/memgate-error.ts';
import { tooDeepError, validationError } from '../errors/validation.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../schemas/json-limits.ts';

const requestId = z.string().min(1).max(256);
const agentId = z.string().min(1).max(256);

/** Browsers cannot set headers on a WebSocket upgrade, so they authenticate with this first frame. */
export const authFrameSchema = z.strictObject({ type: z.literal('auth'), token: z.string().min(1) });
/** W3C Trace Context of one turn: browsers cannot set it as a header on the WebSocket upgrade. */
const traceHeader = z.string().max(512).optional();

/** Starts a turn; `request` is the REST `POST /v1/chat/completions` body. */
export const completionCreateFrameSchema = z.strictObject({
  type: z.literal('chat.completion.create'),
  request_id: requestId,
  request: z.record(z.string(), z.unknown()),
  /** The conversation of the agent to continue (REST: the `X-Memgate-Conversation` header). */
  conversation_id: z.string().min(1).max(256).optional(),
  traceparent: traceHeader,
  tracestate: traceHeader,
});
export const completionCancelFrameSchema = z.strictObject({
  type: z.literal('chat.completion.cancel'),
  request_id: requestId,
});
export const agentSubscribeFrameSchema = z.strictObject({ type: z.literal('agent.subscribe'), agent_id: agentId });
export const agentUnsubscribeFrameSchema = z.strictObject({ type: z.literal('agent.unsubscribe'), agent_id: agentId });
export const pingFrameSchema = z.strictObject({ type: z.literal('ping') });
/** Asks for the caller's usage (`GET /v1/usage`): `query` holds its `group_by`, `from` and `to`. */
export const usageGetFrameSchema = z.strictObject({
  type: z.literal('usage.get'),
  request_id: requestId,
  query: z.record(z.string(), z.unknown()).optional(),
});
/** Asks for the caller's effective limits and consumption (`GET /v1/limits`). */
export const limitsGetFrameSchema = z.strictObject({ type: z.literal('limits.get'), request_id: requestId });

/** Every frame a client may send on the chat channel (contract §8). */
export const clientFrameSchema = z.discriminatedUnion('type', [
  authFrameSchema,
  completionCreateFrameSchema,
  completionCancelFrameSchema,
  agentSubscribeFrameSchema,
  agentUnsubscribeFrameSchema,
  pingFrameSchema,
  usageGetFrameSchema,
  limitsGetFrameSchema,
]);

export type ClientFrame = z.output<typeof clientFrameSchema>;
export type ClientFrameType = ClientFrame['type'];

export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = [
  'auth',
  'chat.completion.create',
  'chat.completion.cancel',
  'agent.subscribe',
  'agent.unsubscribe',
  'ping',
  'usage.get',
  'limits.get',
];

/** A parsed frame, or the error to report; the ids are kept so the error can name its request. */
export type ParsedClientFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; error: MemgateError; requestId?: string; agentId?: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, detailCode: string): MemgateError {
  return new MemgateError('BAD_USER_INPUT', message, { param: 'type', detailCode });
}

/**
 * The 422 for a frame nested too deep. The envelope adds one level, so a create frame's `request`
 * may be exactly as deep as a REST body, and is reported at the same `body` field REST names.
 */
function frameTooDeep(frame: Record<string, unknown>): MemgateError | null {
  const problem = findTooDeep(frame, MAX_JSON_DEPTH + 1);
  if (!problem) return null;
  const [first, ...rest] = problem.path;
  if (first === 'request' && frame['type'] === 'chat.completion.create') {
    return tooDeepError(['body', ...rest], `JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return tooDeepError(['frame', ...problem.path], problem.message);
}

/** Parses one text frame; never throws, so a bad frame costs an `error` event, not the connection. */
export function parseClientFrame(text: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      error: new MemgateError('BAD_USER_INPUT', 'Malformed JSON frame.', { detailCode: 'malformed_frame' }),
    };
  }
  if (!isRecord(value) || typeof value['type'] !== 'string') {
    return { ok: false, error: invalid('A frame is a JSON object with a string `type`.', 'invalid_frame') };
  }
  const ids = {
    ...(typeof value['request_id'] === 'string' ? { requestId: value['request_id'] } : {}),
    ...(typeof value['agent_id'] === 'string' ? { agentId: value['agent_id'] } : {}),
  };
  const tooDeep = frameTooDeep(value);
  if (tooDeep) return { ok: false, error: tooDeep, ...ids };
  const type = value['type'];
  if (!(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    const known = CLIENT_FRAME_TYPES.join(', ');
    return {
      ok: false,
      error: invalid(`Unknown frame type "${type}"; expected one of: ${known}.`, 'unknown_frame_type'),
      ...ids,
    };
  }
  const parsed = clientFrameSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, error: validationError(parsed.error, 'frame'), ...ids };
  return { ok: true, frame: parsed.data };
}
