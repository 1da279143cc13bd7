import { useState } from 'react';
import type { AgentPanel } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { Composer } from './composer.tsx';
import { ConversationPicker } from './conversation-picker.tsx';
import { MessageList } from './message-list.tsx';
import { ReplyAnnouncer } from './reply-announcer.tsx';
import type { StreamState } from './stream-state.ts';
import { buildTimeline, pendingCalls } from './timeline.ts';
import { type ToolAnswers, ToolPrompts } from './tool-prompts.tsx';
import { useChatStream } from './use-chat-stream.ts';
import { useConversationMessages } from './use-conversation-messages.ts';

/**
 * The chat with an agent in one conversation: stored messages (live through agent events), the
 * reply streaming in, the prompts for calls the agent waits on, and the message box.
 */
export function ChatPanel({
  agentId,
  conversationId,
  panel,
}: {
  agentId: string;
  conversationId: string | null;
  panel: AgentPanel;
}) {
  const stored = useConversationMessages(agentId, conversationId);
  const { live, send, clear } = useChatStream();
  const [draft, setDraft] = useState('');
  const busy = live?.status === 'streaming';
  // A turn of another conversation stays out of this one.
  const [liveTarget, setLiveTarget] = useState<string | null>(null);
  const target = conversationId ?? agentId;
  const shownLive = liveTarget === target ? live : null;

  const start = (messages: Parameters<typeof send>[0]['messages'], userText: string) => {
    setLiveTarget(target);
    send({
      agentId,
      conversationId,
      messages,
      userText,
      knownIds: new Set(stored.messages.map((message) => message.id)),
      onEnd: (ended: StreamState) => {
        // Nothing typed is lost: a failed message comes back to an empty box.
        if (ended.status === 'failed' && ended.userText) setDraft((current) => current || ended.userText);
        // The stored messages are the truth once the turn is over; the live copy goes when they are in.
        void stored.refresh().then(() => {
          if (ended.status === 'done') clear();
        });
      },
    });
  };

  const sendMessage = (text: string) => {
    setDraft('');
    start([{ role: 'user', content: text }], text);
  };
  const sendAnswers = (answers: ToolAnswers) =>
    start(
      [...answers].map(([toolCallId, content]) => ({ role: 'tool' as const, toolCallId, content })),
      '',
    );

  const pending = shownLive ? [] : pendingCalls(buildTimeline(stored.messages));
  return (
    <section className="chat" aria-label="Chat">
      <ConversationPicker agentId={agentId} conversationId={conversationId} panel={panel} />
      <ErrorNotice error={stored.error} title="Could not load the messages" />
      {stored.hasEarlier && (
        <button type="button" className="load-earlier" onClick={() => void stored.loadEarlier()}>
          Load earlier messages
        </button>
      )}
      <MessageList messages={stored.messages} live={shownLive} />
      <ToolPrompts agentId={agentId} calls={pending} busy={busy} onAnswers={sendAnswers} />
      <ReplyAnnouncer live={shownLive} />
      <Composer draft={draft} onDraft={setDraft} onSend={sendMessage} busy={busy} />
    </section>
  );
}
