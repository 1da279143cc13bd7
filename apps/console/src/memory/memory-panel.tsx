/** The agent's core memory blocks, live (placeholder until the memory screen lands). */
export function MemoryPanel({ agentId }: { agentId: string }) {
  return <p className="muted">Core memory of {agentId}.</p>;
}
