import type { ChatCallOptions, Principal, TurnTiming } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import type { Request, Response } from 'express';
import { clientSignal } from './client-signal.ts';
import { conversationOfHeaders } from './conversation-headers.ts';
import { sendError } from './error-response.ts';
import { principalOf } from './principal.ts';
import { requestContext } from './request-logging.ts';
import { serverTiming } from './server-timing.ts';

/** How one turn-running route (Chat Completions, Responses) calls the core and writes its stream. */
export interface TurnRoute<Whole, Events> {
  complete(principal: Principal, body: unknown, call: ChatCallOptions): Promise<Whole>;
  stream(principal: Principal, body: unknown, call: ChatCallOptions): Promise<Events>;
  pipe(response: Response, events: Events, headers: Record<string, string>, limits?: StreamLimits): Promise<void>;
  /** What the route reads from the request's headers beyond the conversation (e.g. `X-Memgate-Transcript`). */
  headers?(request: Request): Partial<ChatCallOptions>;
}

/**
 * Runs a turn for a POST whose body's `stream` picks JSON or a stream: the client's signal, the
 * request's context and the conversation headers go to the core; the answer carries Server-Timing,
 * the conversation the turn continued (`x-memgate-conversation`) and what reconciliation hid
 * (`x-memgate-rewound`); errors before any output get the contract's error response.
 */
export async function serveTurn<Whole, Events>(
  request: Request,
  response: Response,
  route: TurnRoute<Whole, Events>,
  streamLimits?: StreamLimits,
): Promise<void> {
  const startedAt = performance.now();
  const timing: TurnTiming = { upstreamMs: 0, upstreamCalls: 0 };
  const controller = clientSignal(response);
  const principal = principalOf(response);
  const body: unknown = request.body;
  const wantsStream = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
  // For the request's log line, known once the core has resolved the agent; the conversation the
  // turn continued is told in a header, so a client that let memgate pick it can name it next time.
  const noteAgent = () => {
    if (timing.agentId) response.locals['agentId'] = timing.agentId;
    if (response.headersSent) return;
    if (timing.conversationId) response.setHeader('x-memgate-conversation', timing.conversationId);
    if (timing.rewound) response.setHeader('x-memgate-rewound', String(timing.rewound));
  };
  try {
    const call: ChatCallOptions = {
      signal: controller.signal,
      timing,
      context: requestContext(request, response),
      ...conversationOfHeaders(request),
      ...route.headers?.(request),
    };
    if (!wantsStream) {
      const whole = await route.complete(principal, body, call);
      noteAgent();
      response.setHeader('server-timing', serverTiming(timing, startedAt));
      response.json(whole);
      return;
    }
    const events = await route.stream(principal, body, call);
    noteAgent();
    // Headers leave with the first event, so Server-Timing reports time to first output.
    await route.pipe(response, events, { 'server-timing': serverTiming(timing, startedAt) }, streamLimits);
  } catch (error) {
    noteAgent();
    if (controller.signal.aborted) return;
    sendError(response, error);
  }
}
