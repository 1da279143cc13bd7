import { ErrorNotice } from '../ui/error-notice.tsx';
import { BlockCard } from './block-card.tsx';
import { blockKey } from './block-versions.ts';
import { useLiveBlocks } from './use-live-blocks.ts';

/** The agent's core memory blocks, live: every write shows at once, whoever made it. */
export function MemoryPanel({ agentId }: { agentId: string }) {
  const { blocks, error, loading, saved } = useLiveBlocks(agentId);
  return (
    <div className="memory-panel">
      <h2 className="panel-title">Core memory</h2>
      <ErrorNotice error={error} title="Could not load the memory blocks" />
      {loading && <p aria-busy="true">Loading…</p>}
      {!loading && !error && blocks.length === 0 && <p className="muted">This agent has no core memory blocks.</p>}
      {blocks.map((block) => (
        <BlockCard key={blockKey(block)} block={block} onSaved={saved} />
      ))}
    </div>
  );
}
