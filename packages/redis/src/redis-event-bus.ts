import {
  type AgentEvent,
  type AgentEventListener,
  type EventBus,
  InProcessEventBus,
  type KeyRevocationListener,
  type LimitsChangeListener,
} from '@memgate/core';
import { Redis } from 'ioredis';

const DEFAULT_PREFIX = 'memgate:agent-events:';
/** Appended to the prefix for the one channel of key revocations; agent ids never contain `!`. */
const REVOCATIONS_SUFFIX = '!keys-revoked';
/** The channel of limit changes (caches of users' and keys' limits forget them). */
const LIMITS_SUFFIX = '!limits-changed';

/**
 * Agent events over Redis pub/sub, so a subscriber on any instance sees messages stored by every
 * instance. One channel per agent: an instance only receives the agents its clients watch. Turns
 * on one agent are serialised, so its events are published, and delivered, in order.
 */
export class RedisEventBus implements EventBus {
  private readonly local = new InProcessEventBus();
  private readonly watchers = new Map<string, number>();
  private readonly subscribed = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, payload: string) => {
      if (!channel.startsWith(prefix)) return;
      try {
        if (channel === prefix + LIMITS_SUFFIX) {
          const subjects: unknown = JSON.parse(payload);
          if (Array.isArray(subjects)) this.local.deliverLimitsChanged(subjects.filter((id) => typeof id === 'string'));
          return;
        }
        if (channel === prefix + REVOCATIONS_SUFFIX) {
          const keyIds: unknown = JSON.parse(payload);
          if (Array.isArray(keyIds)) this.local.deliverKeysRevoked(keyIds.filter((id) => typeof id === 'string'));
          return;
        }
        this.local.deliver(JSON.parse(payload) as AgentEvent);
      } catch {
        // A malformed payload from another writer on the channel is not ours to deliver.
      }
    });
  }

  /** Connects the publishing and subscribing connections (pub/sub needs one of its own). */
  static async connect(url: string, prefix = DEFAULT_PREFIX): Promise<RedisEventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    // Every instance listens for revocations from the start: an open session must end wherever it is.
    await subscriber.subscribe(prefix + REVOCATIONS_SUFFIX, prefix + LIMITS_SUFFIX);
    return new RedisEventBus(publisher, subscriber, prefix);
  }

  async publish(event: AgentEvent): Promise<void> {
    await this.publisher.publish(this.prefix + event.agentId, JSON.stringify(event));
  }

  async publishKeysRevoked(keyIds: readonly string[]): Promise<void> {
    if (keyIds.length === 0) return;
    await this.publisher.publish(this.prefix + REVOCATIONS_SUFFIX, JSON.stringify(keyIds));
  }

  onKeysRevoked(listener: KeyRevocationListener): () => void {
    return this.local.onKeysRevoked(listener);
  }

  async publishLimitsChanged(subjects: readonly string[]): Promise<void> {
    if (subjects.length === 0) return;
    await this.publisher.publish(this.prefix + LIMITS_SUFFIX, JSON.stringify(subjects));
  }

  onLimitsChanged(listener: LimitsChangeListener): () => void {
    return this.local.onLimitsChanged(listener);
  }

  subscribe(agentId: string, listener: AgentEventListener): () => void {
    const unsubscribeLocal = this.local.subscribe(agentId, listener);
    const count = (this.watchers.get(agentId) ?? 0) + 1;
    this.watchers.set(agentId, count);
    if (count === 1) this.subscribed.set(agentId, this.subscriber.subscribe(this.prefix + agentId));
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      unsubscribeLocal();
      const remaining = (this.watchers.get(agentId) ?? 1) - 1;
      if (remaining > 0) {
        this.watchers.set(agentId, remaining);
        return;
      }
      this.watchers.delete(agentId);
      this.subscribed.delete(agentId);
      void this.subscriber.unsubscribe(this.prefix + agentId).catch(() => undefined);
    };
  }

  /** Resolves once Redis confirmed the subscription to the agent's channel. */
  async ready(agentId: string): Promise<void> {
    await this.subscribed.get(agentId);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.watchers.clear();
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}
