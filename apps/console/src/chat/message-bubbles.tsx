import type { ReactNode } from 'react';
import { Markdown } from '../ui/markdown.tsx';
import { Steps } from './steps.tsx';
import type { ReplyItem, UserItem } from './timeline.ts';

/** A user message (plain text: what a person typed is shown as typed). */
export function UserBubble({ item, pending = false }: { item: Pick<UserItem, 'text' | 'name'>; pending?: boolean }) {
  return (
    <article className={pending ? 'bubble bubble-user pending' : 'bubble bubble-user'} aria-label="You">
      {item.name && <p className="muted sender">{item.name}</p>}
      <p className="user-text">{item.text}</p>
    </article>
  );
}

/** The agent's reply as sanitised markdown, its steps collapsed beneath, and anything extra. */
export function ReplyBubble({
  item,
  streaming = false,
  children,
}: {
  item: Pick<ReplyItem, 'texts' | 'steps'>;
  streaming?: boolean;
  children?: ReactNode;
}) {
  return (
    <article className="bubble bubble-agent" aria-label="Agent" aria-busy={streaming || undefined}>
      {item.texts.map((text, index) => (
        // Texts of one reply never reorder; the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Markdown key={index} text={text} />
      ))}
      {streaming && item.texts.length === 0 && <p className="muted">Thinking…</p>}
      <Steps steps={item.steps} />
      {children}
    </article>
  );
}
