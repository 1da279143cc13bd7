import { Client, type ExecutionResult, subscriptionExchange } from '@urql/core';
import { parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { readSource } from './read-source.ts';

interface Sink {
  next(value: ExecutionResult): void;
  complete(): void;
}

/** A real urql client whose subscription transport the test drives by hand. */
function clientWithTransport() {
  const transport: { sink: Sink | null; unsubscribed: boolean } = { sink: null, unsubscribed: false };
  const client = new Client({
    url: 'http://127.0.0.1/graphql',
    exchanges: [
      subscriptionExchange({
        forwardSubscription: () => ({
          subscribe(sink) {
            transport.sink = sink;
            return {
              unsubscribe() {
                transport.unsubscribed = true;
              },
            };
          },
        }),
      }),
    ],
  });
  return { client, transport };
}

// Parsed, not tagged: codegen collects tagged documents and checks them against the real schema.
const Ticks = parse('subscription Ticks { tick }');

describe('readSource', () => {
  it('hands over every result in order, then the end once', async () => {
    const { client, transport } = clientWithTransport();
    const seen: unknown[] = [];
    let ends = 0;
    readSource(client.subscription(Ticks, {}), { next: (result) => seen.push(result.data), end: () => ends++ });
    // urql starts the operation on its own schedule.
    await vi.waitFor(() => expect(transport.sink).not.toBeNull());
    transport.sink?.next({ data: { tick: 1 } });
    transport.sink?.next({ data: { tick: 2 } });
    transport.sink?.complete();
    expect(seen).toEqual([{ tick: 1 }, { tick: 2 }]);
    expect(ends).toBe(1);
  });

  it('stops reading when told: the transport is unsubscribed and no end is reported', async () => {
    const { client, transport } = clientWithTransport();
    const seen: unknown[] = [];
    let ends = 0;
    const stop = readSource(client.subscription(Ticks, {}), {
      next: (result) => seen.push(result.data),
      end: () => ends++,
    });
    // urql starts the operation on its own schedule.
    await vi.waitFor(() => expect(transport.sink).not.toBeNull());
    transport.sink?.next({ data: { tick: 1 } });
    stop();
    transport.sink?.next({ data: { tick: 2 } });
    expect(transport.unsubscribed).toBe(true);
    expect(seen).toEqual([{ tick: 1 }]);
    expect(ends).toBe(0);
  });
});
