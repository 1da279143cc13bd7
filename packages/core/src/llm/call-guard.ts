import { MemgateError } from '../errors/memgate-error.ts';
/** Per-call cancellation: the caller's signal plus our own timer, as one signal for the upstream client. */
export interface CallGuard {
  /** Aborts when the caller aborts, the timer fires, or the guard is released. */
  readonly signal: AbortSignal;
  /** True once the guard's own timer aborted the call. */
  readonly timedOut: boolean;
  /** Restarts the timer; streams time out on silence, not on their total length. */
  touch(): void;
  /** Stops the timer and cancels whatever is still in flight (e.g. a stream the consumer left). */
  release(): void;
}

/**
 * The reason a released guard aborts with: one instance, since `abort()` without a reason builds a
 * DOMException (and its stack) on every call, and every call ends in a release.
 */
const RELEASED = new DOMException('The upstream call is over.', 'AbortError');

/**
 * Creates the guard for one upstream call. It is the call's only timeout (the upstream client has
 * none of its own): from the request to the last byte, restarted by every chunk of a stream.
 */
export function createCallGuard(callerSignal: AbortSignal | undefined, timeoutMs: number): CallGuard {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  if (callerSignal?.aborted) onCallerAbort();
  // Removed on release: callers may reuse one long-lived signal (a WS connection) for many calls.
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    touch() {
      timer.refresh();
    },
    release() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      controller.abort(RELEASED);
    },
  };
}

/** The error to surface for an aborted caller signal: one that `isAbortError` recognises. */
export function abortErrorFrom(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  // A reason that is already a memgate error (say, a lost agent lock) tells the client more than "aborted".
  if (reason instanceof MemgateError) return reason;
  if (reason instanceof Error && (reason.name === 'AbortError' || reason.name === 'TimeoutError')) return reason;
  return new DOMException('The upstream call was aborted.', 'AbortError');
}
