import type { LiveBlock } from './block-versions.ts';

interface BlockConflictProps {
  /** The block as it is now on the server. */
  current: LiveBlock;
  onUseMine(): void;
  onDiscard(): void;
  busy: boolean;
}

/** A save refused because the block changed meanwhile: its current value, and the two ways out. */
export function BlockConflict({ current, onUseMine, onDiscard, busy }: BlockConflictProps) {
  return (
    <div className="block-conflict" role="alert">
      <p>
        <strong>This block changed while you were editing</strong> (it is now at version {current.version}). Your text
        is still in the editor. Its current value:
      </p>
      <pre className="block-value">{current.value}</pre>
      <div className="block-actions">
        <button type="button" className="primary" onClick={onUseMine} disabled={busy}>
          Use my text
        </button>
        <button type="button" onClick={onDiscard} disabled={busy}>
          Discard
        </button>
      </div>
    </div>
  );
}
