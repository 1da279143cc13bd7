import { useState } from 'react';
import { useAgentEvents } from '../agent/agent-events.tsx';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { ArchivalInsert } from './archival-insert.tsx';
import { ArchivalSearch } from './archival-search.tsx';
import { PassageItem } from './passage-item.tsx';
import { useArchivalPassages } from './use-archival-passages.ts';

/** Archival memory: search it, insert a passage, and list (newest first) and delete passages. */
export function ArchivalPanel({ agentId }: { agentId: string }) {
  const { passages, hasMore, loading, error, reload, loadMore, removed } = useArchivalPassages(agentId);
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(() => new Set());
  const onDeleted = (id: string) => {
    removed(id);
    setDeleted((current) => new Set(current).add(id));
  };
  // The agent's own archival_memory_insert shows as its tool result; passages have no event of their own.
  useAgentEvents((event) => {
    if (
      event.type === 'message.created' &&
      event.message?.role === 'tool' &&
      event.message.name?.startsWith('archival')
    ) {
      void reload();
    }
  });
  return (
    <div className="archival-panel">
      <h2 className="panel-title">Archival memory</h2>
      <ArchivalSearch key={agentId} agentId={agentId} deleted={deleted} onDeleted={onDeleted} />
      <ArchivalInsert agentId={agentId} onInserted={() => void reload()} />
      <section aria-label="Passages">
        <h3>Passages, newest first</h3>
        <ErrorNotice error={error} title="Could not load the passages" />
        {!loading && !error && passages.length === 0 && <p className="muted">No passages yet.</p>}
        <ul className="passage-list">
          {passages.map((passage) => (
            <PassageItem key={passage.id} agentId={agentId} passage={passage} onDeleted={onDeleted} />
          ))}
        </ul>
        {loading && <p aria-busy="true">Loading…</p>}
        {hasMore && !loading && (
          <button type="button" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
      </section>
    </div>
  );
}
