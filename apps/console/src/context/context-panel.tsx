import { ErrorNotice } from '../ui/error-notice.tsx';
import { ContextBar } from './context-bar.tsx';
import { ContextLegend } from './context-legend.tsx';
import { formatTokens } from './context-math.ts';
import { useAgentContext } from './use-agent-context.ts';

/** What the agent's next prompt is made of, against its context window, kept current by agentEvents. */
export function ContextPanel({ agentId }: { agentId: string }) {
  const { context, error, loading } = useAgentContext(agentId);
  return (
    <div className="context-panel">
      <h2 className="panel-title">Context</h2>
      <ErrorNotice error={error} title="Could not load the context" />
      {loading && <p aria-busy="true">Loading…</p>}
      {context && (
        <>
          <ContextBar tokens={context.tokens} contextWindow={context.contextWindow} thresholds={context.thresholds} />
          <ContextLegend tokens={context.tokens} contextWindow={context.contextWindow} />
          <p className="context-counts">
            Messages in context: {formatTokens(context.messagesInContext)} · Summarised messages:{' '}
            {formatTokens(context.summarisedMessages)}
          </p>
          <h3>Summary</h3>
          {context.summary ? (
            <p className="context-summary-text">{context.summary}</p>
          ) : (
            <p className="muted">No summary yet</p>
          )}
        </>
      )}
    </div>
  );
}
