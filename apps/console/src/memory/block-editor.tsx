import type { CombinedError } from '@urql/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { BlockConflict } from './block-conflict.tsx';
import type { LiveBlock } from './block-versions.ts';
import { useBlockSave } from './use-block-save.ts';

interface BlockEditorProps {
  /** The block as shown now (live): it may move on while the editor is open. */
  block: LiveBlock & { id: string };
  onSaved(block: LiveBlock): void;
  onClose(): void;
}

/**
 * Inline editing of one block. The edit is saved against the version it started from; a write
 * that landed meanwhile is a conflict the user settles ("Use my text" or "Discard"), and live
 * updates never replace what is being typed.
 */
export function BlockEditor({ block, onSaved, onClose }: BlockEditorProps) {
  const [draft, setDraft] = useState(block.value);
  const [baseVersion, setBaseVersion] = useState(block.version);
  const [conflict, setConflict] = useState<LiveBlock | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const { save, saving } = useBlockSave(block.id);
  const counterId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const over = draft.length - block.limit;

  async function saveAgainst(version: number | null | undefined) {
    setError(null);
    const outcome = await save(draft, version);
    if (outcome.kind === 'saved') {
      onSaved(outcome.block);
      onClose();
    } else if (outcome.kind === 'conflict') {
      setConflict(outcome.current);
    } else {
      setError(outcome.error);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void saveAgainst(baseVersion);
  }

  function keepMine() {
    if (!conflict) return;
    setBaseVersion(conflict.version);
    setConflict(null);
    void saveAgainst(conflict.version);
  }

  const movedOn = !conflict && block.version != null && baseVersion != null && block.version !== baseVersion;
  return (
    <form className="block-editor" onSubmit={submit}>
      <textarea
        ref={field}
        aria-label={`Edit ${block.label}`}
        aria-describedby={counterId}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        rows={Math.min(16, Math.max(4, draft.split('\n').length + 1))}
      />
      <p id={counterId} className={over > 0 ? 'block-counter over' : 'block-counter'}>
        {draft.length.toLocaleString('en-US')} / {block.limit.toLocaleString('en-US')} characters
        {over > 0 && ` (${over.toLocaleString('en-US')} over the limit)`}
      </p>
      {movedOn && (
        <p className="block-moved" role="status">
          Changed since you started editing (now version {block.version}): saving will ask what to keep.
        </p>
      )}
      {conflict && <BlockConflict current={conflict} onUseMine={keepMine} onDiscard={onClose} busy={saving} />}
      <ErrorNotice error={error} title="Could not save" />
      {!conflict && (
        <div className="block-actions">
          <button type="submit" disabled={saving}>
            Save
          </button>
          <button type="button" onClick={onClose} disabled={saving}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
