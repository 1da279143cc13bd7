import { LiveTurn } from './live-turn.tsx';
import { ReplyBubble, UserBubble } from './message-bubbles.tsx';
import type { StreamState } from './stream-state.ts';
import { buildTimeline, type TimelineMessage } from './timeline.ts';

/**
 * The conversation: stored messages grouped into user messages and replies. While a turn sent
 * from here is shown live, the messages stored since it was sent belong to it, not to the list.
 */
export function MessageList({ messages, live }: { messages: readonly TimelineMessage[]; live: StreamState | null }) {
  const known = live ? messages.filter((message) => live.knownIds.has(message.id)) : messages;
  const items = buildTimeline(known);
  return (
    <div className="message-list">
      {items.length === 0 && !live && <p className="muted">No messages yet. Say hello.</p>}
      {items.map((item) =>
        item.kind === 'user' ? <UserBubble key={item.key} item={item} /> : <ReplyBubble key={item.key} item={item} />,
      )}
      {live && <LiveTurn live={live} messages={messages.filter((message) => !live.knownIds.has(message.id))} />}
    </div>
  );
}
