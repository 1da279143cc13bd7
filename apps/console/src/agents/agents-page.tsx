import { useRef, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { AgentRow } from './agent-row.tsx';
import { ImportAgent } from './import-agent.tsx';
import { NewAgentDialog } from './new-agent-dialog.tsx';

const AgentsQuery = graphql(`
  query Agents {
    agents {
      id
      name
      model
      memory {
        label
        value
        limit
      }
    }
  }
`);

/** The caller's agents: each a link to its page; create, import, export and delete them. */
export function AgentsPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: AgentsQuery });
  const [creating, setCreating] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const closeDialog = () => {
    setCreating(false);
    opener.current?.focus();
  };
  return (
    <section className="agents-page">
      <h1>Agents</h1>
      <div className="agents-toolbar">
        <button ref={opener} type="button" className="primary" onClick={() => setCreating(true)}>
          New agent
        </button>
        <ImportAgent onImported={reload} />
      </div>
      <NewAgentDialog open={creating} onClose={closeDialog} />
      <ErrorNotice error={error} title="Could not list the agents" />
      {data && data.agents.length === 0 && <p className="muted">No agents yet: create one or import an Agent File.</p>}
      {!data && fetching && <p aria-busy="true">Loading…</p>}
      <ul className="agent-list">
        {data?.agents.map((agent) => (
          <AgentRow key={agent.id} agent={agent} onDeleted={reload} />
        ))}
      </ul>
    </section>
  );
}
