import { useId } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { type AgentPanel, navigate } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';

const Conversations = graphql(`
  query Conversations($agentId: ID!) {
    agent(id: $agentId) {
      id
      conversations(limit: 100) {
        id
        name
        isDefault
        createdAt
      }
    }
  }
`);

const CreateConversation = graphql(`
  mutation CreateConversation($agentId: ID!) {
    createConversation(agentId: $agentId) {
      id
    }
  }
`);

const titleOf = (conversation: { name?: string | null; isDefault: boolean; createdAt: string }) =>
  conversation.name ??
  (conversation.isDefault
    ? 'Default conversation'
    : `Conversation of ${new Date(conversation.createdAt).toLocaleString()}`);

/** The agent's conversations: pick one (`?conversation=` in the route) or start a new one. */
export function ConversationPicker({
  agentId,
  conversationId,
  panel,
}: {
  agentId: string;
  conversationId: string | null;
  panel: AgentPanel;
}) {
  const id = useId();
  const [{ data, error }, refetch] = useQuery({ query: Conversations, variables: { agentId } });
  const [created, create] = useMutation(CreateConversation);
  const go = (next: string) =>
    navigate({ name: 'agent', agentId, panel, conversationId: next === agentId ? null : next || null });
  const startNew = async () => {
    const result = await create({ agentId });
    const conversation = result.data?.createConversation;
    if (!conversation) return;
    refetch({ requestPolicy: 'network-only' });
    go(conversation.id);
  };
  const conversations = data?.agent?.conversations ?? [];
  return (
    <div className="conversation-picker">
      <label htmlFor={id}>Conversation</label>
      <select id={id} value={conversationId ?? agentId} onChange={(event) => go(event.target.value)}>
        {conversations.length === 0 && <option value={agentId}>Default conversation</option>}
        {conversationId && !conversations.some((conversation) => conversation.id === conversationId) && (
          <option value={conversationId}>This conversation</option>
        )}
        {conversations.map((conversation) => (
          <option key={conversation.id} value={conversation.id}>
            {titleOf(conversation)}
          </option>
        ))}
      </select>
      <button type="button" onClick={startNew} disabled={created.fetching}>
        New conversation
      </button>
      <ErrorNotice error={error} title="Could not list the conversations" />
      <ErrorNotice error={created.error} title="Could not start a conversation" />
    </div>
  );
}
