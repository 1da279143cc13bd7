import { MemgateError } from '../errors/memgate-error.ts';

/** The default whole-turn deadline (MEMGATE_TURN_TIMEOUT_MS): 5 minutes. */
export const DEFAULT_TURN_TIMEOUT_MS = 300_000;

/** A turn's own deadline, combined with the caller's signal. */
export interface TurnDeadline {
  /** Aborts when the caller aborts or the deadline passes (reason: an UPSTREAM_TIMEOUT error). */
  readonly signal: AbortSignal;
  /** Stops the timer once the turn has ended. */
  clear(): void;
}

/**
 * Starts the deadline of one whole turn: lock wait, every step and tool. Each upstream call has
 * its own timeout, but ten steps of two minutes each would hold an agent for twenty; this bounds
 * the whole. Its abort reason is a memgate error, so the turn ends as an upstream timeout does
 * (504 before the first chunk, an in-band error after it) and stores what it had stored by then.
 */
export function startTurnDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): TurnDeadline {
  const controller = new AbortController();
  const seconds = Math.round(timeoutMs / 100) / 10;
  const timer = setTimeout(() => {
    controller.abort(
      new MemgateError('UPSTREAM_TIMEOUT', `The turn did not finish within ${seconds}s (MEMGATE_TURN_TIMEOUT_MS).`, {
        detailCode: 'turn_timeout',
      }),
    );
  }, timeoutMs);
  // A turn left running by a consumer that never returned its stream must not hold the process open.
  timer.unref();
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal,
    clear: () => clearTimeout(timer),
  };
}
