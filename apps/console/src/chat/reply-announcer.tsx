import { useRef } from 'react';
import type { StreamState } from './stream-state.ts';

function announcementOf(live: StreamState): string {
  if (live.status === 'streaming') return 'The agent is replying…';
  if (live.status === 'failed') return `The reply failed: ${live.error?.message ?? 'unknown error'}`;
  if (live.finishReason === 'tool_calls') return 'The agent waits for your answer to its tool calls.';
  return live.text ? `The agent replied: ${live.text}` : 'The agent finished.';
}

/**
 * What a screen reader hears of a streamed reply: that the agent is replying, then the whole
 * reply once, when it is complete (a polite live region that changes twice, not at every token).
 * The last announcement stays after the live turn is folded into the stored messages.
 */
export function ReplyAnnouncer({ live }: { live: StreamState | null }) {
  const last = useRef('');
  if (live) last.current = announcementOf(live);
  return (
    <p className="visually-hidden" aria-live="polite">
      {last.current}
    </p>
  );
}
