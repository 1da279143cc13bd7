import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import type { ShownPassage } from './passage-pages.ts';
import { useFocusWhen } from './use-focus-when.ts';

const DeletePassageMutation = graphql(`
  mutation DeleteArchivalPassage($agentId: ID!, $id: ID!) {
    deleteArchivalPassage(agentId: $agentId, id: $id)
  }
`);

interface PassageItemProps {
  agentId: string;
  passage: ShownPassage;
  /** Absent: the passage is shown without a Delete button (search results). */
  onDeleted?(id: string): void;
}

/** One passage as text, with its date and a Delete that asks first, in the page (no window.confirm). */
export function PassageItem({ agentId, passage, onDeleted }: PassageItemProps) {
  const [confirming, setConfirming] = useState(false);
  const keepButton = useFocusWhen<HTMLButtonElement>(confirming);
  const deleteButton = useFocusWhen<HTMLButtonElement>(!confirming);
  const [{ fetching, error }, deletePassage] = useMutation(DeletePassageMutation);

  async function confirm() {
    const result = await deletePassage({ agentId, id: passage.id });
    if (result.data?.deleteArchivalPassage) onDeleted?.(passage.id);
    else setConfirming(false);
  }

  return (
    <li className="passage">
      <p className="passage-content">{passage.content}</p>
      <p className="passage-meta muted">
        <time dateTime={passage.createdAt}>{new Date(passage.createdAt).toLocaleString()}</time>
      </p>
      {onDeleted && !confirming && (
        <button ref={deleteButton} type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
      {confirming && (
        <div className="passage-confirm">
          <span>Delete this passage for good?</span>
          <button type="button" className="danger" onClick={() => void confirm()} disabled={fetching}>
            Yes, delete
          </button>
          <button ref={keepButton} type="button" onClick={() => setConfirming(false)} disabled={fetching}>
            Keep
          </button>
        </div>
      )}
      <ErrorNotice error={error} title="Could not delete the passage" />
    </li>
  );
}
