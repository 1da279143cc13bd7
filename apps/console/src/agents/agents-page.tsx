import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';

const AgentsQuery = graphql(`
  query Agents {
    agents {
      id
      name
      model
    }
  }
`);

/** The caller's agents (creation, deletion and Agent Files land with the agents screen). */
export function AgentsPage() {
  const [{ data, error }] = useQuery({ query: AgentsQuery });
  return (
    <section>
      <h1>Agents</h1>
      <ErrorNotice error={error} />
      <ul className="agent-list">
        {data?.agents.map((agent) => (
          <li key={agent.id}>
            <a href={hrefOf({ name: 'agent', agentId: agent.id, panel: 'memory', conversationId: null })}>
              {agent.name}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
