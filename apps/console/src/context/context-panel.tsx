/** The context window bar (placeholder until the context screen lands). */
export function ContextPanel({ agentId }: { agentId: string }) {
  return <p className="muted">Context of {agentId}.</p>;
}
