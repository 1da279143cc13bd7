import { type AgentEvent, type EventBus, MemgateError } from '@memgate/core';

/** A subscriber this far behind is cut off with an error rather than buffered without bound. */
export const MAX_QUEUED_EVENTS = 1000;

/** What `agentEvents` delivers: first a marker that the subscription is live, then the bus's events. */
export type AgentEventItem = AgentEvent | { type: 'subscribed'; agentId: string };

const done = (): IteratorResult<AgentEventItem> => ({ done: true, value: undefined });

/**
 * The agent's events as an async iterator. It subscribes to the bus at once, so nothing stored
 * after the `subscribed` item can be missed, buffers events until they are read, and unsubscribes
 * when returned (unsubscribe, closed socket or request) or when `shutdown` aborts (the app closes:
 * these streams never end on their own and would hold the server open; the resolver also ties it to
 * the client's leaving).
 */
export function agentEventSource(
  bus: EventBus,
  agentId: string,
  shutdown: AbortSignal,
): AsyncIterableIterator<AgentEventItem> {
  const queue: AgentEventItem[] = [{ type: 'subscribed', agentId }];
  let wake: (() => void) | null = null;
  let ended = false;
  let overflowed = false;
  // A networked bus confirms subscriptions asynchronously: `subscribed` waits for that.
  let live: Promise<void> | undefined;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const unsubscribe = bus.subscribe(agentId, (event) => {
    if (queue.length >= MAX_QUEUED_EVENTS) {
      overflowed = true;
      end();
      return;
    }
    queue.push(event);
    notify();
  });
  live = bus.ready?.(agentId);
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    shutdown.removeEventListener('abort', end);
    notify();
  };
  if (shutdown.aborted) end();
  else shutdown.addEventListener('abort', end, { once: true });

  const events: AsyncIterableIterator<AgentEventItem> = {
    async next() {
      if (live) {
        await live;
        live = undefined;
      }
      if (overflowed) {
        throw new MemgateError(
          'RATE_LIMITED',
          `agentEvents fell more than ${MAX_QUEUED_EVENTS} events behind and was ended; subscribe again and read what was missed with \`messages\`.`,
        );
      }
      while (queue.length === 0 && !ended) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      const event = ended ? undefined : queue.shift();
      return event ? { done: false, value: event } : done();
    },
    async return() {
      end();
      queue.length = 0;
      return done();
    },
    [Symbol.asyncIterator]: () => events,
  };
  return events;
}
