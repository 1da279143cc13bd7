import type { OperationResult, OperationResultSource } from '@urql/core';

/** Wonka's signals (urql's sources are Wonka sources): Start = tag 0, Push = tag 1, End = bare 0. */
type Signal = 0 | { tag: 0 | 1; 0: unknown };
const PULL = 0;
const CLOSE = 1;

/**
 * Reads an urql source to its end. `source.subscribe()` has no end callback, and a chat stream
 * must know when it ended (the reply is complete, or the socket gave up) rather than guess it from
 * the last chunk; this speaks Wonka's pull protocol (documented and stable) to get that, without
 * taking on wonka as a dependency of our own. Returns a function that stops reading.
 *
 * When a subscription completes, urql emits its last result once more (the same data object,
 * `hasNext: false`); that is no new result, and a chat stream would add its last chunk twice.
 */
export function readSource<T extends OperationResult>(
  source: OperationResultSource<T>,
  handlers: { next(result: T): void; end(): void },
): () => void {
  let talkback: ((signal: number) => void) | null = null;
  let ended = false;
  let previous: T | null = null;
  source((raw: unknown) => {
    const signal = raw as Signal;
    if (signal === 0) {
      ended = true;
      handlers.end();
    } else if (signal.tag === 0) {
      talkback = signal[0] as (signal: number) => void;
      talkback(PULL);
    } else {
      const result = signal[0] as T;
      const repeated = previous !== null && result.data === previous.data && !result.error;
      previous = result;
      if (!repeated) handlers.next(result);
      talkback?.(PULL);
    }
  });
  return () => {
    if (!ended) talkback?.(CLOSE);
    ended = true;
  };
}
