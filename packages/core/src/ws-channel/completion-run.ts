import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { Memgate } from '../memgate.ts';
import type { ChatCompletionChunk } from '../schemas/chat-response.ts';
import { untilAborted } from './abortable.ts';
import type { ChannelTransport } from './channel-transport.ts';
import { CompletionAssembler } from './completion-assembler.ts';
import { type CompletionDoneFrame, channelErrorObject, type ErrorFrame, errorFrame } from './server-frames.ts';
import { isUsageChunk, streamingRequest } from './streaming-request.ts';

export interface CompletionRunOptions {
  chat: Memgate['chat'];
  principal: Principal;
  requestId: string;
  /**
   * The turn's own id (`trace_id` in its frames): its log lines, the upstream's `x-request-id` and
   * `error.request_id`. `request_id` stays the client's multiplexing id, unique only per connection.
   */
  traceId: string;
  /** Inbound trace headers of the connection's upgrade, for a tracer to continue. */
  carrier?: Readonly<Record<string, string>>;
  /** The REST body of the turn. */
  request: Record<string, unknown>;
  /** The frame's `conversation_id`. */
  conversationId?: string;
  transport: ChannelTransport;
  /** Called right after the terminal frame is sent: from then on the `request_id` is free again. */
  onAnswered?: () => void;
  /** Told about unexpected (500) errors, which the client only sees masked. */
  onInternalError?: (error: unknown) => void;
}

/**
 * One `chat.completion.create`: its own AbortController, its chunks, then exactly one terminal
 * frame — `error` when the turn is refused or fails before its first chunk (the status REST would
 * answer), else `chat.completion.done`.
 */
export class CompletionRun {
  private readonly controller = new AbortController();
  /** Settles once the terminal frame is sent and the turn has let go of its agent. */
  readonly finished: Promise<void>;

  constructor(private readonly options: CompletionRunOptions) {
    this.finished = this.run();
  }

  /** Stops the turn at once (its upstream call is aborted) and answers `done` with `cancelled`. */
  cancel(): void {
    this.controller.abort(new DOMException('The request was cancelled.', 'AbortError'));
  }

  private async run(): Promise<void> {
    const { requestId, transport } = this.options;
    const signal = this.controller.signal;
    const { body, clientWantsUsage } = streamingRequest(this.options.request);
    const { traceId, carrier } = this.options;
    const context = { requestId: traceId, protocol: 'ws', ...(carrier && { carrier }) };
    const { conversationId } = this.options;
    const call = { signal, context, ...(conversationId !== undefined && { conversationId }) };
    const started = this.options.chat.stream(this.options.principal, body, call);
    let chunks: AsyncIterableIterator<ChatCompletionChunk>;
    try {
      chunks = await untilAborted(started, signal);
    } catch (error) {
      if (signal.aborted) {
        this.answer(this.done('cancelled'));
        // A stream that still starts after the cancel must be closed, or the agent stays locked.
        await started.then(
          (late) => late.return?.(),
          () => undefined,
        );
        return;
      }
      this.report(error);
      this.answer(errorFrame(error, { requestId, traceId }));
      return;
    }
    const assembler = new CompletionAssembler();
    try {
      for (;;) {
        const next = await untilAborted(chunks.next(), signal);
        if (next.done) break;
        assembler.add(next.value);
        if (!clientWantsUsage && isUsageChunk(next.value)) continue;
        transport.send({ type: 'chat.completion.chunk', request_id: requestId, trace_id: traceId, chunk: next.value });
        await transport.writable(signal);
      }
      const completion = assembler.completion();
      if (!completion) throw new MemgateError('INTERNAL_SERVER_ERROR', 'The turn ended without a finish reason.');
      // The final frame repeats the whole reply: a slow reader catches up before it is queued.
      // A cancel arriving meanwhile is too late, the turn is complete: it is still answered `completed`.
      await transport.writable(signal);
      this.answer({ ...this.done('completed'), completion });
    } catch (error) {
      if (signal.aborted) {
        this.answer(this.done('cancelled'));
      } else {
        this.report(error);
        this.answer({ ...this.done('failed'), error: channelErrorObject(error, traceId) });
      }
    } finally {
      // Releases the agent lock; after a cancel it waits for the aborted upstream read to settle.
      await chunks.return?.().catch(() => undefined);
    }
  }

  private answer(frame: CompletionDoneFrame | ErrorFrame): void {
    this.options.transport.send(frame);
    this.options.onAnswered?.();
  }

  private done(status: CompletionDoneFrame['status']): CompletionDoneFrame {
    const { requestId, traceId } = this.options;
    return { type: 'chat.completion.done', request_id: requestId, trace_id: traceId, status, completion: null };
  }

  private report(error: unknown): void {
    if (MemgateError.fromUnknown(error).code === 'INTERNAL_SERVER_ERROR') this.options.onInternalError?.(error);
  }
}
