import { type FormEvent, type KeyboardEvent, useId } from 'react';

/**
 * The message box: Enter sends, Shift+Enter makes a new line (and an IME composition's Enter
 * stays the IME's). The draft lives in the panel, so a failed send can give the text back. While
 * the agent replies, a message can still be sent: it goes next.
 */
export function Composer({
  draft,
  onDraft,
  onSend,
  replying,
}: {
  draft: string;
  onDraft(text: string): void;
  onSend(text: string): void;
  replying: boolean;
}) {
  const id = useId();
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (draft.trim() === '') return;
    onSend(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id}>Message</label>
      <textarea
        id={id}
        rows={3}
        value={draft}
        onChange={(event) => onDraft(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-hint`}
      />
      <div className="composer-actions">
        <span id={`${id}-hint`} className="hint">
          {replying ? 'The agent is replying; a message sent now goes next.' : 'Enter sends, Shift+Enter adds a line.'}
        </span>
        <button type="submit" disabled={draft.trim() === ''}>
          Send
        </button>
      </div>
    </form>
  );
}
