import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault } from './chaos.ts';
import { completionBody, resolveTurn } from './completion.ts';
import { delay, isRecord, openAiErrorBody, sendError, sendJson } from './http-helpers.ts';
import { DEFAULT_CHUNK_SIZE, garbledFrames, streamFrames, writeStream } from './streaming.ts';
import type { ChatRequestBody, RecordedRequest, ScriptedResponse } from './types.ts';

/** What the chat handler needs from the server's state. */
export interface ChatHandlerContext {
  /** Records the request and picks its answer (script queue first, then the default responder). */
  accept(recorded: RecordedRequest): Promise<ScriptedResponse>;
  /** Called when the client closed the connection before the response finished. */
  aborted(recorded: RecordedRequest): void;
  /** Called once per accepted request when its response closes, finished or not. */
  settled(): void;
}

/** Validates a chat body just enough to answer it: `messages` must be objects with a string role. */
export function parseChatRequest(value: unknown): ChatRequestBody | undefined {
  if (!isRecord(value) || !Array.isArray(value['messages'])) return undefined;
  const valid = value['messages'].every((message: unknown) => isRecord(message) && typeof message['role'] === 'string');
  return valid ? (value as ChatRequestBody) : undefined;
}

/** Answers one parsed chat completion request as scripted, streaming when the body asks for it. */
export async function handleChat(
  body: ChatRequestBody,
  request: IncomingMessage,
  response: ServerResponse,
  context: ChatHandlerContext,
): Promise<void> {
  const recorded: RecordedRequest = {
    path: request.url ?? '',
    body,
    headers: request.headers,
    receivedAt: Date.now(),
  };
  // The signal stops pending delays and stream writes as soon as the client leaves.
  const controller = new AbortController();
  // A connection the mock breaks on purpose (a chaos fault) is not a client abort.
  let brokenByMock = false;
  response.on('close', () => {
    context.settled();
    if (response.writableFinished || brokenByMock) return;
    controller.abort();
    context.aborted(recorded);
  });

  let scripted: ScriptedResponse;
  try {
    scripted = await context.accept(recorded);
  } catch (error) {
    // A broken responder is a bug in the test: make it loud rather than hanging the client.
    sendError(
      response,
      500,
      `mock upstream responder threw: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (scripted.hang) return;
  if (!(await delay(scripted.delayMs ?? 0, controller.signal))) return;

  if (scripted.error) {
    const { status, body: errorBody, headers } = scripted.error;
    sendJson(response, status, errorBody ?? openAiErrorBody(status), headers);
    return;
  }
  const streaming = body.stream === true;
  const model = typeof body.model === 'string' ? body.model : 'mock-model';
  const streamOptions = {
    chunkDelayMs: scripted.chunkDelayMs ?? 0,
    hangAfterChunks: scripted.hangAfterChunks,
    signal: controller.signal,
  };
  if (scripted.garbled) {
    if (streaming) await writeStream(response, garbledFrames(model), streamOptions);
    else sendJson(response, 200, '{"id": "chatcmpl-garbled", "choices": [ <html>Bad Gateway');
    return;
  }

  const turn = resolveTurn(body, scripted);
  if (scripted.fault) {
    await answerWithFault(scripted.fault, response, {
      turn,
      streaming,
      includeUsage: body.stream_options?.include_usage === true,
      chunkSize: scripted.chunkSize ?? DEFAULT_CHUNK_SIZE,
      signal: controller.signal,
      cue: scripted.faultCue,
      onBreak: () => {
        brokenByMock = true;
      },
    });
    return;
  }
  if (!streaming) {
    sendJson(response, 200, completionBody(turn));
    return;
  }
  const frames = streamFrames(turn, {
    includeUsage: body.stream_options?.include_usage === true,
    chunkSize: scripted.chunkSize ?? DEFAULT_CHUNK_SIZE,
  });
  await writeStream(response, frames, streamOptions);
}
