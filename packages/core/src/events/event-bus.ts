import type { BlockActor, MemoryBlock, StoredMessage } from '../domain/types.ts';

/** An event about one agent, delivered to every subscriber on any instance. */
export type AgentEvent = MessageCreatedEvent | BlockUpdatedEvent;

/** A message was stored in one of the agent's conversations. */
export interface MessageCreatedEvent {
  type: 'message.created';
  agentId: string;
  /** The conversation the message belongs to (the agent's id for its default conversation). */
  conversationId: string;
  message: StoredMessage;
}

/**
 * One of the agent's memory blocks was written: by this agent's turn, by another agent sharing
 * the block, or through the API. Every agent the block is attached to gets one.
 */
export interface BlockUpdatedEvent {
  type: 'block.updated';
  agentId: string;
  block: MemoryBlock & { id: string; version: number };
  actor: BlockActor;
  /** The agent whose turn wrote it (actor `agent`), else null. */
  byAgentId: string | null;
}

export type AgentEventListener = (event: AgentEvent) => void;

/** Told the ids of API keys that stopped working (revoked, or their user deleted). */
export type KeyRevocationListener = (keyIds: readonly string[]) => void;

/**
 * Fan-out of agent events. In-process by default; a Redis implementation shares events
 * between instances behind the same interface.
 */
export interface EventBus {
  publish(event: AgentEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(agentId: string, listener: AgentEventListener): () => void;
  /**
   * Resolves once a subscription made with `subscribe` receives events from every instance
   * (a networked bus confirms asynchronously); adapters may await it before acknowledging.
   */
  ready?(agentId: string): Promise<void>;
  /** Announces to every instance that these keys no longer work, so their open sessions end. */
  publishKeysRevoked(keyIds: readonly string[]): Promise<void>;
  /** Listens for revocations published by any instance (this one included); returns the unsubscribe function. */
  onKeysRevoked(listener: KeyRevocationListener): () => void;
  /** Announces to every instance that the limits of these users or keys changed (their caches forget them). */
  publishLimitsChanged?(subjects: readonly string[]): Promise<void>;
  /** Listens for limit changes published by any instance (this one included). */
  onLimitsChanged?(listener: LimitsChangeListener): () => void;
  close(): Promise<void>;
}

/** Told the user or key ids whose limits changed. */
export type LimitsChangeListener = (subjects: readonly string[]) => void;

/** Delivers events to the listeners of this process. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<AgentEventListener>>();
  private readonly revocationListeners = new Set<KeyRevocationListener>();
  private readonly limitListeners = new Set<LimitsChangeListener>();

  async publish(event: AgentEvent): Promise<void> {
    this.deliver(event);
  }

  /** Hands an event to local listeners; also used by distributed buses for received events. */
  deliver(event: AgentEvent): void {
    const listeners = this.listeners.get(event.agentId);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // One failing subscriber must not stop delivery to the others.
      }
    }
  }

  subscribe(agentId: string, listener: AgentEventListener): () => void {
    let listeners = this.listeners.get(agentId);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(agentId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.listeners.delete(agentId);
    };
  }

  async publishKeysRevoked(keyIds: readonly string[]): Promise<void> {
    this.deliverKeysRevoked(keyIds);
  }

  /** Hands a revocation to local listeners; also used by distributed buses for received ones. */
  deliverKeysRevoked(keyIds: readonly string[]): void {
    for (const listener of this.revocationListeners) {
      try {
        listener(keyIds);
      } catch {
        // One failing listener must not keep the others' sessions open.
      }
    }
  }

  onKeysRevoked(listener: KeyRevocationListener): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  async publishLimitsChanged(subjects: readonly string[]): Promise<void> {
    this.deliverLimitsChanged(subjects);
  }

  /** Hands a limit change to local listeners; also used by distributed buses for received ones. */
  deliverLimitsChanged(subjects: readonly string[]): void {
    for (const listener of this.limitListeners) {
      try {
        listener(subjects);
      } catch {
        // A cache that fails to forget must not stop the others.
      }
    }
  }

  onLimitsChanged(listener: LimitsChangeListener): () => void {
    this.limitListeners.add(listener);
    return () => this.limitListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.revocationListeners.clear();
    this.limitListeners.clear();
  }
}
