import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { useClient } from 'urql';
import type { AgentEventFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';

graphql(`
  fragment MessageFields on AgentMessage {
    id
    role
    content
    toolCalls
    toolCallId
    name
    createdAt
    conversationId
    contentParts
  }
`);

graphql(`
  fragment BlockFields on MemoryBlock {
    id
    label
    value
    limit
    description
    readOnly
    version
  }
`);

graphql(`
  fragment AgentEventFields on AgentEvent {
    type
    agentId
    conversationId
    actor
    byAgentId
    message {
      ...MessageFields
    }
    block {
      ...BlockFields
    }
  }
`);

const AgentEventsSubscription = graphql(`
  subscription AgentEvents($agentId: ID!) {
    agentEvents(agentId: $agentId) {
      ...AgentEventFields
    }
  }
`);

export type AgentEventOf = AgentEventFieldsFragment;
type Listener = (event: AgentEventOf) => void;

const ListenersContext = createContext<Set<{ current: Listener }> | null>(null);

/**
 * One `agentEvents` subscription per agent page, shared by the chat and the memory panels.
 * `subscribed` comes first and again after every reconnect (graphql-ws resubscribes): listeners
 * refetch then, so nothing missed while the socket was down is lost, and they key what they show
 * by id, so nothing is shown twice.
 */
export function AgentEventsProvider({ agentId, children }: { agentId: string; children: ReactNode }) {
  const listeners = useRef(new Set<{ current: Listener }>()).current;
  const client = useClient();
  // Subscribed in an effect, not through useSubscription: listeners set state in other components,
  // which React forbids during a render (where useSubscription's reducer runs).
  useEffect(() => {
    const subscription = client
      .subscription(AgentEventsSubscription, { agentId }, { restartable: true })
      .subscribe((result) => {
        const event = result.data?.agentEvents;
        if (!event) return;
        for (const listener of listeners) listener.current(event);
      });
    return () => subscription.unsubscribe();
  }, [client, agentId, listeners]);
  return <ListenersContext.Provider value={listeners}>{children}</ListenersContext.Provider>;
}

/** Calls `listener` for every event of the page's agent (the latest listener, without resubscribing). */
export function useAgentEvents(listener: Listener): void {
  const listeners = useContext(ListenersContext);
  if (!listeners) throw new Error('useAgentEvents outside AgentEventsProvider');
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    listeners.add(ref);
    return () => {
      listeners.delete(ref);
    };
  }, [listeners]);
}
