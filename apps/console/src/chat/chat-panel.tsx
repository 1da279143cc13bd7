import { useEffect, useRef, useState } from 'react';
import type { MessageInput } from '../gql/graphql.ts';
import type { AgentPanel } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { Composer } from './composer.tsx';
import { ConversationPicker } from './conversation-picker.tsx';
import { UserBubble } from './message-bubbles.tsx';
import { MessageList } from './message-list.tsx';
import { ReplyAnnouncer } from './reply-announcer.tsx';
import type { StreamState } from './stream-state.ts';
import { buildTimeline, pendingCalls } from './timeline.ts';
import { type ToolAnswers, ToolPrompts } from './tool-prompts.tsx';
import { useChatStream } from './use-chat-stream.ts';
import { useConversationMessages } from './use-conversation-messages.ts';

const joined = (...texts: (string | null)[]) => texts.filter((text) => text?.trim()).join('\n\n');

/**
 * The chat with an agent in one conversation: stored messages (live through agent events), the
 * reply streaming in, the prompts for calls the agent waits on, and the message box. A message
 * sent while the agent still replies waits its turn (one turn at a time per conversation) and
 * goes once the stored messages of the previous turn are in.
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
  const [queued, setQueued] = useState<string | null>(null);
  const queuedRef = useRef<string | null>(null);
  const setQueue = (text: string | null) => {
    queuedRef.current = text;
    setQueued(text);
  };
  // A turn of another conversation stays out of this one.
  const [liveTarget, setLiveTarget] = useState<string | null>(null);
  const target = conversationId ?? agentId;
  const shownLive = liveTarget === target ? live : null;
  const replying = live?.status === 'streaming';

  // A message queued in one conversation is not sent to another: it goes back to the box.
  useEffect(() => {
    if (!target) return;
    const waiting = queuedRef.current;
    if (waiting === null) return;
    queuedRef.current = null;
    setQueued(null);
    setDraft((current) => joined(waiting, current));
  }, [target]);

  const start = (messages: MessageInput[], userText: string) => {
    setLiveTarget(target);
    send({
      agentId,
      conversationId,
      messages,
      userText,
      knownIds: stored.shownIds(),
      onEnd: (ended: StreamState) => {
        const next = queuedRef.current;
        if (ended.status === 'failed') {
          // Nothing typed is lost: the failed message (and any queued one) comes back to the box.
          setQueue(null);
          setDraft((current) => joined(ended.userText, next, current));
        }
        // The stored messages are the truth once the turn is over; the live copy goes when they are in.
        void stored.refresh().then(() => {
          if (ended.status !== 'done') return;
          clear(ended);
          if (next === null) return;
          setQueue(null);
          start([{ role: 'user', content: next }], next);
        });
      },
    });
  };

  const sendMessage = (text: string) => {
    setDraft('');
    if (replying) setQueue(joined(queuedRef.current, text));
    else start([{ role: 'user', content: text }], text);
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
      {queued && shownLive && <UserBubble item={{ text: queued, name: null }} pending />}
      <ToolPrompts agentId={agentId} calls={pending} busy={replying} onAnswers={sendAnswers} />
      <ReplyAnnouncer live={shownLive} />
      <Composer draft={draft} onDraft={setDraft} onSend={sendMessage} replying={replying} />
    </section>
  );
}
