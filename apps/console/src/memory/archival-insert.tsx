import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';

const InsertPassageMutation = graphql(`
  mutation InsertArchivalPassage($agentId: ID!, $content: String!) {
    insertArchivalPassage(agentId: $agentId, content: $content) {
      id
    }
  }
`);

/** Adds a passage to archival memory; the text stays in the field until the server took it. */
export function ArchivalInsert({ agentId, onInserted }: { agentId: string; onInserted(): void }) {
  const [content, setContent] = useState('');
  const [{ fetching, error }, insert] = useMutation(InsertPassageMutation);
  const fieldId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await insert({ agentId, content });
    if (!result.data?.insertArchivalPassage) return;
    setContent('');
    onInserted();
  }

  return (
    <form className="archival-insert" onSubmit={(event) => void submit(event)}>
      <label htmlFor={fieldId}>New passage</label>
      <textarea id={fieldId} value={content} onChange={(event) => setContent(event.target.value)} rows={3} />
      <ErrorNotice error={error} title="Could not insert the passage" />
      <button type="submit" disabled={fetching || content.trim() === ''}>
        Insert
      </button>
    </form>
  );
}
