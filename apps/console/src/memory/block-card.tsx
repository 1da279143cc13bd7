import { useId, useState } from 'react';
import { BlockEditor } from './block-editor.tsx';
import type { LiveBlock } from './block-versions.ts';
import { useChangeFlash } from './use-change-flash.ts';
import { useFocusWhen } from './use-focus-when.ts';

/** One core block: a region named after its label, its value, its size against its limit, and Edit. */
export function BlockCard({ block, onSaved }: { block: LiveBlock; onSaved(block: LiveBlock): void }) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const editButton = useFocusWhen<HTMLButtonElement>(!editing);
  const { flashing, done } = useChangeFlash(block.version, block.value);
  const count = block.value.length;
  const id = block.id;
  return (
    <section
      className={flashing ? 'block-card block-flash' : 'block-card'}
      aria-labelledby={headingId}
      onAnimationEnd={done}
    >
      <header className="block-header">
        <h3 id={headingId}>{block.label}</h3>
        {block.readOnly && (
          <span className="block-badge" title="The agent cannot change this block">
            read-only
          </span>
        )}
        {/* A block without an id (an older server) cannot be saved with a version check. */}
        {id && !editing && (
          <button ref={editButton} type="button" className="block-edit" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
      </header>
      {block.description && <p className="muted block-description">{block.description}</p>}
      {id && editing ? (
        <BlockEditor block={{ ...block, id }} onSaved={onSaved} onClose={() => setEditing(false)} />
      ) : (
        <pre className="block-value">{block.value === '' ? <span className="muted">(empty)</span> : block.value}</pre>
      )}
      <div className="block-size">
        <meter
          min={0}
          max={block.limit}
          value={count}
          high={block.limit * 0.9}
          aria-label={`${block.label}: ${count} of ${block.limit} characters`}
        />
        <span>
          {count.toLocaleString('en-US')} / {block.limit.toLocaleString('en-US')} characters
        </span>
      </div>
    </section>
  );
}
