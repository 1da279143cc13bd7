import { type FormEvent, type KeyboardEvent, useId } from 'react';

/**
 * The message box: Enter sends, Shift+Enter makes a new line (and an IME composition's Enter
 * stays the IME's). The draft lives in the panel, so a failed send can give the text back.
 */
export function Composer({
  draft,
  onDraft,
  onSend,
  busy,
}: {
  draft: string;
  onDraft(text: string): void;
  onSend(text: string): void;
  busy: boolean;
}) {
  const id = useId();
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || draft.trim() === '') return;
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
          Enter sends, Shift+Enter adds a line.
        </span>
        <button type="submit" disabled={busy || draft.trim() === ''}>
          Send
        </button>
      </div>
    </form>
  );
}
