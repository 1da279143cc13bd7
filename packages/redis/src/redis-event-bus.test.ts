import type { AgentEvent } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventBus } from './redis-event-bus.ts';

const url = process.env['REDIS_URL'];
if (!url) console.warn('REDIS_URL is not set: skipping the Redis event bus tests (CI sets it; see .ci/run).');

/** The text of a message event ('' for any other event). */
function textOf(event: AgentEvent): string {
  return event.type === 'message.created' ? (event.message.content ?? '') : '';
}

function event(agentId: string, content: string): AgentEvent {
  return {
    type: 'message.created',
    agentId,
    conversationId: agentId,
    message: {
      id: `message-${content}`,
      agentId,
      conversationId: agentId,
      seq: 1,
      role: 'user',
      content,
      toolCalls: null,
      toolCallId: null,
      name: null,
      createdAt: new Date().toISOString(),
    },
  };
}

describe.skipIf(!url)('RedisEventBus on a real Redis', () => {
  let first: RedisEventBus;
  let second: RedisEventBus;
  const prefix = `memgate-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    first = await RedisEventBus.connect(url!, prefix);
    second = await RedisEventBus.connect(url!, prefix);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('delivers events published by one instance to subscribers on another, in order', async () => {
    const received: string[] = [];
    const done = new Promise<void>((resolve) => {
      const unsubscribe = second.subscribe('agent-a', (delivered) => {
        received.push(textOf(delivered));
        if (received.length === 5) {
          unsubscribe();
          resolve();
        }
      });
    });
    await second.ready('agent-a');
    for (let index = 0; index < 5; index++) await first.publish(event('agent-a', `m${index}`));
    await done;
    expect(received).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('delivers block.updated events across instances as they were published', async () => {
    const blockEvent: AgentEvent = {
      type: 'block.updated',
      agentId: 'agent-d',
      block: {
        id: 'block-1',
        label: 'team',
        value: 'Launch Friday',
        limit: 5000,
        description: null,
        readOnly: false,
        version: 2,
      },
      actor: 'agent',
      byAgentId: 'agent-e',
    };
    const received = new Promise<AgentEvent>((resolve) => {
      const unsubscribe = second.subscribe('agent-d', (delivered) => {
        unsubscribe();
        resolve(delivered);
      });
    });
    await second.ready('agent-d');
    await first.publish(blockEvent);
    expect(await received).toEqual(blockEvent);
  });

  it('delivers only the watched agent, and nothing after unsubscribe', async () => {
    const received: string[] = [];
    const unsubscribe = second.subscribe('agent-b', (delivered) => received.push(textOf(delivered)));
    await second.ready('agent-b');
    await first.publish(event('agent-c', 'other agent'));
    await first.publish(event('agent-b', 'mine'));
    // A marker on a watched channel proves earlier publishes were processed.
    const marker = new Promise<void>((resolve) => {
      const stop = second.subscribe('agent-b', (delivered) => {
        if (textOf(delivered) === 'marker') {
          stop();
          resolve();
        }
      });
    });
    await first.publish(event('agent-b', 'marker'));
    await marker;
    expect(received).toEqual(['mine', 'marker']);
    unsubscribe();
    await first.publish(event('agent-b', 'after'));
    const probe = new Promise<void>((resolve) => {
      const stop = second.subscribe('agent-b', () => {
        stop();
        resolve();
      });
    });
    await second.ready('agent-b');
    await first.publish(event('agent-b', 'probe'));
    await probe;
    expect(received).toEqual(['mine', 'marker']);
  });
});
