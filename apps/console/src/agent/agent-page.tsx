import { useQuery } from 'urql';
import { ChatPanel } from '../chat/chat-panel.tsx';
import { ContextPanel } from '../context/context-panel.tsx';
import { graphql } from '../gql/index.ts';
import { ArchivalPanel } from '../memory/archival-panel.tsx';
import { MemoryPanel } from '../memory/memory-panel.tsx';
import { type AgentPanel, hrefOf, type Route } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { AgentEventsProvider } from './agent-events.tsx';

const AgentQuery = graphql(`
  query AgentPage($id: ID!) {
    agent(id: $id) {
      id
      name
      model
      contextWindow
    }
  }
`);

const PANEL_NAMES: Record<AgentPanel, string> = { memory: 'Memory', archival: 'Archival', context: 'Context' };

/** An agent: the chat beside its memory, archival memory or context (side by side on wide screens). */
export function AgentPage({ route }: { route: Extract<Route, { name: 'agent' }> }) {
  const { agentId, panel, conversationId } = route;
  const [{ data, error, fetching }] = useQuery({ query: AgentQuery, variables: { id: agentId } });
  if (error) return <ErrorNotice error={error} title="Could not load the agent" />;
  if (!data?.agent) return fetching ? <p aria-busy="true">Loading…</p> : null;
  const agent = data.agent;
  return (
    <AgentEventsProvider agentId={agent.id}>
      <div className="agent-page">
        <header className="agent-header">
          <h1>{agent.name}</h1>
          <p className="muted">
            {agent.model} · {agent.contextWindow.toLocaleString()} token window
          </p>
        </header>
        <ChatPanel agentId={agent.id} conversationId={conversationId} panel={panel} />
        <section className="side-panel" aria-label="Agent state">
          <nav className="tabs" aria-label="Agent state">
            {(Object.keys(PANEL_NAMES) as AgentPanel[]).map((name) => (
              <a key={name} href={hrefOf({ ...route, panel: name })} aria-current={name === panel ? 'page' : undefined}>
                {PANEL_NAMES[name]}
              </a>
            ))}
          </nav>
          {panel === 'memory' && <MemoryPanel agentId={agent.id} />}
          {panel === 'archival' && <ArchivalPanel agentId={agent.id} />}
          {panel === 'context' && <ContextPanel agentId={agent.id} />}
        </section>
      </div>
    </AgentEventsProvider>
  );
}
