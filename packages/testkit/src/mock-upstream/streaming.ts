import type { ServerResponse } from 'node:http';
import type { ResolvedTurn } from './completion.ts';
import { delay } from './http-helpers.ts';

/** Default characters per streamed delta: small, so every reply arrives in several chunks. */
export const DEFAULT_CHUNK_SIZE = 8;

/** Splits by code point so a delta never ends inside a surrogate pair. */
function pieces(text: string, size: number): string[] {
  const characters = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += size) {
    result.push(characters.slice(start, start + size).join(''));
  }
  return result;
}

function frame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * The SSE frames of a streamed turn, in OpenAI's order: a role delta (carrying the first content
 * piece, if any), further content pieces, per tool call one header delta then argument pieces, a
 * `finish_reason` chunk, the usage chunk when asked for, and `[DONE]`.
 */
export function streamFrames(turn: ResolvedTurn, options: { includeUsage: boolean; chunkSize: number }): string[] {
  const size = Math.max(1, Math.floor(options.chunkSize));
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string => {
    const payload: Record<string, unknown> = {
      id: turn.id,
      object: 'chat.completion.chunk',
      created: turn.created,
      model: turn.model,
      system_fingerprint: 'fp_mock',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    // OpenAI sends `usage: null` on every chunk but the last when usage was requested.
    if (options.includeUsage) payload['usage'] = null;
    return frame(payload);
  };

  const contentPieces = turn.content === null ? [] : pieces(turn.content, size);
  const frames = [chunk({ role: 'assistant', content: turn.content === null ? null : (contentPieces[0] ?? '') })];
  for (const piece of contentPieces.slice(1)) frames.push(chunk({ content: piece }));
  for (const piece of turn.refusal === null ? [] : pieces(turn.refusal, size)) frames.push(chunk({ refusal: piece }));

  turn.toolCalls.forEach((call, index) => {
    frames.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of pieces(call.arguments, size)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });

  frames.push(chunk({}, turn.finishReason));
  if (options.includeUsage) {
    const { id, created, model } = turn;
    frames.push(
      frame({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_mock',
        choices: [],
        usage: turn.usage,
      }),
    );
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** A stream that starts well and then breaks off inside a frame, never sending `[DONE]`. */
export function garbledFrames(model: string): string[] {
  const start = { id: 'chatcmpl-garbled', object: 'chat.completion.chunk', created: 0, model, choices: [] };
  return [frame(start), 'data: {"choices": [{"delta": {"content": "unterminat\n\n'];
}

/** Options of {@link writeStream}. */
export interface WriteStreamOptions {
  chunkDelayMs: number;
  /** Stop after this many frames and leave the response open. */
  hangAfterChunks?: number;
  /** Aborts when the client goes away: writing stops. */
  signal: AbortSignal;
}

/** Writes SSE frames one by one, each flushed at once, pausing between them as scripted. */
export async function writeStream(
  response: ServerResponse,
  frames: string[],
  options: WriteStreamOptions,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  // Without this, Nagle's algorithm can coalesce frames and hide the incremental delivery tests assert.
  response.socket?.setNoDelay(true);
  response.flushHeaders();
  for (const [index, text] of frames.entries()) {
    if (options.hangAfterChunks !== undefined && index >= options.hangAfterChunks) return;
    if (index > 0 && !(await delay(options.chunkDelayMs, options.signal))) return;
    if (options.signal.aborted) return;
    response.write(text);
  }
  response.end();
}
