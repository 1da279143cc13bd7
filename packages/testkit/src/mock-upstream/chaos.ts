import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completionBody, type ResolvedTurn } from './completion.ts';
import { streamFrames } from './streaming.ts';
import type { UpstreamFault } from './types.ts';

/**
 * Every fault the chaos upstream can play, for tests that loop over them. `reset`, `close` and
 * `stall` break off mid-body (non-streaming) or mid-stream (streaming).
 */
export const UPSTREAM_FAULTS: readonly UpstreamFault[] = [
  'html-200',
  'html-502',
  'truncated-json',
  'empty-choices',
  'reset',
  'close',
  'stall',
];

/**
 * An address that appears in every page the chaos upstream serves, as a misconfigured proxy's page
 * would show one: tests assert it never reaches a client.
 */
export const CHAOS_LEAKED_ADDRESS = '10.66.77.88:8081';

const HTML_PAGE = (status: number, title: string) =>
  `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1>` +
  `<p>upstream http://${CHAOS_LEAKED_ADDRESS}/v1/chat/completions did not answer (nginx/1.25.3)</p></body></html>`;

function sendHtml(response: ServerResponse, status: number, title: string): void {
  const page = HTML_PAGE(status, title);
  response.writeHead(status, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)) });
  response.end(page);
}

/** Writes `text` and resolves once it has been handed to the kernel, so a reset after it is mid-body. */
function writeFlushed(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!response.write(text, () => resolve())) response.once('drain', () => resolve());
  });
}

/** What the chaos responder needs to know about the request. */
export interface FaultContext {
  turn: ResolvedTurn;
  streaming: boolean;
  includeUsage: boolean;
  chunkSize: number;
  /** Aborts when the client leaves: a stall ends then. */
  signal: AbortSignal;
  /** Called just before the mock breaks the connection itself (reset, close). */
  onBreak(): void;
  /** When given, the break waits for it after the partial answer (see `ScriptedResponse.faultCue`). */
  cue?: Promise<unknown> | undefined;
}

const noop = (): void => {};

/** Waits for the test's cue to break, if any: false when the client left meanwhile. */
async function cued(context: FaultContext): Promise<boolean> {
  if (!context.cue) return true;
  await Promise.race([context.cue.then(noop, noop), untilAborted(context.signal)]);
  return !context.signal.aborted;
}

/** Resolves when the client leaves (a stall holds the connection until then). */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Answers with a fault instead of the scripted turn; resolves when the answer is over (a stall:
 * when the client left).
 */
export async function answerWithFault(
  fault: UpstreamFault,
  response: ServerResponse,
  context: FaultContext,
): Promise<void> {
  if (fault === 'html-200' || fault === 'html-502') {
    sendHtml(response, fault === 'html-200' ? 200 : 502, fault === 'html-200' ? 'Welcome' : 'Bad Gateway');
    return;
  }
  const partial = context.streaming ? await startStream(fault, response, context) : startBody(fault, response, context);
  if (partial === null) return;
  if (partial !== '') await writeFlushed(response, partial);
  if (fault === 'stall') return await untilAborted(context.signal);
  if (!(await cued(context))) return;
  context.onBreak();
  const socket = response.socket;
  if (fault === 'reset') socket?.resetAndDestroy();
  else socket?.end();
}

/**
 * Non-streaming: answers completely (empty choices, truncated JSON) and returns null, or sends the
 * headers announcing the whole body and returns its first half, after which the socket breaks.
 */
function startBody(fault: UpstreamFault, response: ServerResponse, context: FaultContext): string | null {
  const body = completionBody(context.turn);
  const text = JSON.stringify(fault === 'empty-choices' ? { ...body, choices: [] } : body);
  const half = text.slice(0, Math.floor(text.length / 2));
  // truncated-json: a server whose JSON stops mid-object (its length header matches what it sent).
  const complete = fault === 'empty-choices' ? text : fault === 'truncated-json' ? half : null;
  const length = Buffer.byteLength(complete ?? text);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(length) });
  if (complete !== null) {
    response.end(complete);
    return null;
  }
  return half;
}

/**
 * Streaming: sends the first half of the scripted turn's frames (the client has seen part of the
 * answer), then ends cleanly for empty choices and truncated JSON, or returns '' for the socket to break.
 */
async function startStream(
  fault: UpstreamFault,
  response: ServerResponse,
  context: FaultContext,
): Promise<string | null> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  response.socket?.setNoDelay(true);
  if (fault === 'empty-choices') {
    // Chunks that carry nothing: no choice, no finish_reason, then a clean [DONE].
    const { id, created, model } = context.turn;
    const empty = `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [] })}\n\n`;
    response.end(`${empty}${empty}data: [DONE]\n\n`);
    return null;
  }
  const frames = streamFrames(context.turn, { includeUsage: context.includeUsage, chunkSize: context.chunkSize });
  for (const frame of frames.slice(0, Math.max(2, Math.floor(frames.length / 2)))) {
    await writeFlushed(response, frame);
  }
  if (fault === 'truncated-json') {
    if (!(await cued(context))) return null;
    response.end('data: {"id":"chatcmpl-cut","choices":[{"delta":{"cont\n\n');
    return null;
  }
  return '';
}

/**
 * The base URL (ending in `/v1`) of a port that was just bound and closed: connecting to it is
 * refused, as with an upstream that is down.
 */
export async function refusedUpstreamUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
