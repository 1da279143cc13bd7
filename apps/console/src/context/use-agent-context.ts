import { useQuery } from 'urql';
import { useAgentEvents } from '../agent/agent-events.tsx';
import { graphql } from '../gql/index.ts';

const AgentContextQuery = graphql(`
  query AgentContext($agentId: ID!) {
    agentContext(agentId: $agentId) {
      agentId
      contextWindow
      tokens {
        system
        tools
        memory
        summary
        messages
        total
      }
      thresholds {
        memoryPressure
        summarise
      }
      messagesInContext
      summarisedMessages
      summary
    }
  }
`);

/**
 * The agent's context breakdown (the numbers of REST GET /v1/agents/:id/context), fetched again
 * whenever a message or a block write changes what the next prompt holds, and on `subscribed`
 * (first, and after a reconnect that may have missed some).
 */
export function useAgentContext(agentId: string) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: AgentContextQuery, variables: { agentId } });
  useAgentEvents((event) => {
    if (event.type === 'subscribed' || event.type === 'message.created' || event.type === 'block.updated') {
      reexecute({ requestPolicy: 'network-only' });
    }
  });
  return { context: data?.agentContext ?? null, error, loading: fetching && !data };
}
