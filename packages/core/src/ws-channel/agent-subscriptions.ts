import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { Memgate } from '../memgate.ts';
import type { ChannelTransport } from './channel-transport.ts';
import { agentEventFrame } from './server-frames.ts';

/** Subscriptions one WebSocket connection may hold: agents on the chat channel, operations on graphql-ws. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 64;

/** The agents one connection follows on the core's event bus (the bus GraphQL's `agentEvents` uses). */
export class AgentSubscriptions {
  /** Made by the first subscription: most connections follow no agent. */
  private unsubscribers: Map<string, () => void> | null = null;
  private closed = false;

  constructor(
    private readonly memgate: Pick<Memgate, 'agents' | 'events'>,
    private readonly transport: ChannelTransport,
    private readonly maxSubscriptions = MAX_SUBSCRIPTIONS_PER_CONNECTION,
  ) {}

  /** Follows an agent of the caller's (another user's agent is a 404, as on REST); idempotent. */
  async subscribe(principal: Principal, agentId: string): Promise<void> {
    const agent = await this.memgate.agents.get(principal, agentId);
    if (this.closed) return;
    this.unsubscribers ??= new Map();
    const unsubscribers = this.unsubscribers;
    if (!unsubscribers.has(agent.id)) {
      if (unsubscribers.size >= this.maxSubscriptions) {
        throw new MemgateError(
          'RATE_LIMITED',
          `At most ${this.maxSubscriptions} agents may be followed per connection.`,
          {
            detailCode: 'too_many_subscriptions',
          },
        );
      }
      const unsubscribe = this.memgate.events.subscribe(agent.id, (event) =>
        this.transport.send(agentEventFrame(event)),
      );
      unsubscribers.set(agent.id, unsubscribe);
    }
    // The acknowledgement promises delivery from every instance: a networked bus confirms later.
    await this.memgate.events.ready?.(agent.id);
    this.transport.send({ type: 'agent.subscribed', agent_id: agent.id });
  }

  /** Stops following an agent; idempotent. */
  unsubscribe(agentId: string): void {
    this.unsubscribers?.get(agentId)?.();
    this.unsubscribers?.delete(agentId);
    this.transport.send({ type: 'agent.unsubscribed', agent_id: agentId });
  }

  clear(): void {
    this.closed = true;
    for (const unsubscribe of this.unsubscribers?.values() ?? []) unsubscribe();
    this.unsubscribers?.clear();
  }
}
