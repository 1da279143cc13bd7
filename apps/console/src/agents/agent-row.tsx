import { useEffect, useRef, useState } from 'react';
import { type CombinedError, useClient, useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { agentFileName, type BlockLike, blockSummary } from './block-summary.ts';
import { downloadFile } from './download-file.ts';

const DeleteAgent = graphql(`
  mutation DeleteAgent($id: ID!) {
    deleteAgent(id: $id)
  }
`);

const ExportAgent = graphql(`
  query ExportAgent($id: ID!) {
    exportAgent(id: $id)
  }
`);

export interface AgentSummary {
  id: string;
  name: string;
  model: string;
  memory: BlockLike[];
}

/**
 * One agent: a link named after it, its model and blocks, Export (an `.af` download) and Delete,
 * which asks first in the page (a window.confirm would block the page and browser tests).
 */
export function AgentRow({ agent, onDeleted }: { agent: AgentSummary; onDeleted(): void }) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const [deleted, deleteAgent] = useMutation(DeleteAgent);
  const [exportError, setExportError] = useState<CombinedError | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Focus follows the question: to "Delete for good" when asked, back to "Delete" on cancel.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const remove = async () => {
    const result = await deleteAgent({ id: agent.id });
    if (!result.error) onDeleted();
  };
  const exportFile = async () => {
    const result = await client.query(ExportAgent, { id: agent.id }, { requestPolicy: 'network-only' }).toPromise();
    setExportError(result.error ?? null);
    if (result.data) downloadFile(agentFileName(agent.name), JSON.stringify(result.data.exportAgent, null, 2));
  };

  return (
    <li className="agent-row">
      <div className="agent-row-main">
        <a href={hrefOf({ name: 'agent', agentId: agent.id, panel: 'memory', conversationId: null })}>{agent.name}</a>
        <span className="muted">
          {agent.model} · {blockSummary(agent.memory)}
        </span>
      </div>
      {confirming ? (
        <fieldset className="agent-row-actions confirm">
          <legend>Delete {agent.name} with its memory and messages?</legend>
          <button ref={confirmButton} type="button" className="danger" onClick={remove} disabled={deleted.fetching}>
            Delete for good
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <div className="agent-row-actions">
          <button type="button" onClick={exportFile} aria-label={`Export ${agent.name}`}>
            Export
          </button>
          <button
            ref={deleteButton}
            type="button"
            className="danger"
            onClick={() => setConfirming(true)}
            aria-label={`Delete ${agent.name}`}
          >
            Delete
          </button>
        </div>
      )}
      <ErrorNotice error={deleted.error} title="Could not delete the agent" />
      <ErrorNotice error={exportError} title="Could not export the agent" />
    </li>
  );
}
