/** Archival memory: search, insert, delete (placeholder until the memory screen lands). */
export function ArchivalPanel({ agentId }: { agentId: string }) {
  return <p className="muted">Archival memory of {agentId}.</p>;
}
