import type { AgentPanel } from '../router.ts';

/** The chat with the agent (placeholder until the chat screen lands). */
export function ChatPanel({ agentId }: { agentId: string; conversationId: string | null; panel: AgentPanel }) {
  return (
    <section className="chat" aria-label="Chat">
      <p className="muted">Chat with {agentId}.</p>
    </section>
  );
}
