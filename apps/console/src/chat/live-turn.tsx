import { ReplyBubble, UserBubble } from './message-bubbles.tsx';
import type { StreamState } from './stream-state.ts';
import { buildTimeline, type Step, type TimelineMessage } from './timeline.ts';

/**
 * The turn this console sent, while it streams: the user's message (stored copy once it arrived),
 * the reply as it streams, and the steps the agent stored meanwhile (they arrive as events).
 */
export function LiveTurn({ live, messages }: { live: StreamState; messages: readonly TimelineMessage[] }) {
  const items = buildTimeline(messages);
  const storedUser = items.find((item) => item.kind === 'user');
  const steps: Step[] = [];
  const storedTexts: string[] = [];
  for (const item of items) {
    if (item.kind !== 'reply') continue;
    steps.push(...item.steps);
    storedTexts.push(...item.texts);
  }
  // The streamed text is the reply; the stored send_message texts are the same words, later.
  const texts = live.text ? [live.text] : storedTexts;
  const streaming = live.status === 'streaming';
  return (
    <>
      {storedUser ? (
        <UserBubble item={storedUser} />
      ) : (
        live.userText && <UserBubble item={{ text: live.userText, name: null }} pending />
      )}
      {(streaming || texts.length > 0 || steps.length > 0) && (
        <ReplyBubble item={{ texts, steps }} streaming={streaming}>
          {live.stopReason && <p className="muted">Stopped: {live.stopReason}</p>}
        </ReplyBubble>
      )}
      {live.error && (
        <div role="alert" className="error-notice">
          <strong>The reply failed: </strong>
          <span>{live.error.message}</span>
          {live.error.requestId && (
            <span className="request-id">
              {' '}
              (request id <code>{live.error.requestId}</code>)
            </span>
          )}
        </div>
      )}
    </>
  );
}
