import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { navigate } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';

const Models = graphql(`
  query Models {
    models {
      id
      name
      ownedBy
    }
  }
`);

const CreateAgent = graphql(`
  mutation CreateAgent($input: CreateAgentInput!) {
    createAgent(input: $input) {
      id
    }
  }
`);

/** The server lists agents among the models (for chat UIs); an agent is no model for a new agent. */
const AGENT_OWNER = 'memgate-agent';

/**
 * The "New agent" form in a modal `<dialog>`: showModal() traps focus and Escape closes it (the
 * browser's own behaviour, focus goes back to the opener). Empty fields are left out, so the
 * server's defaults apply (its default model, the default persona).
 */
export function NewAgentDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [{ data, error: modelsError }] = useQuery({ query: Models, pause: !open });
  const [created, createAgent] = useMutation(CreateAgent);
  const [fields, setFields] = useState({ name: '', model: '', persona: '', human: '' });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const set = (field: keyof typeof fields) => (event: { target: { value: string } }) =>
    setFields((current) => ({ ...current, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = Object.fromEntries(Object.entries(fields).filter(([, value]) => value.trim() !== ''));
    const result = await createAgent({ input });
    const agent = result.data?.createAgent;
    if (!agent) return;
    setFields({ name: '', model: '', persona: '', human: '' });
    onClose();
    navigate({ name: 'agent', agentId: agent.id, panel: 'memory', conversationId: null });
  };

  const models = data?.models.filter((model) => model.ownedBy !== AGENT_OWNER) ?? [];
  return (
    <dialog ref={dialog} className="new-agent" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>New agent</h2>
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={fields.name} onChange={set('name')} required maxLength={200} />
        <label htmlFor={`${id}-model`}>Model</label>
        <select id={`${id}-model`} value={fields.model} onChange={set('model')}>
          <option value="">Server default</option>
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.name && model.name !== model.id ? `${model.name} (${model.id})` : model.id}
            </option>
          ))}
        </select>
        <ErrorNotice error={modelsError} title="Could not list the models" />
        <label htmlFor={`${id}-persona`}>Persona</label>
        <textarea
          id={`${id}-persona`}
          rows={3}
          value={fields.persona}
          onChange={set('persona')}
          placeholder="Default persona"
        />
        <label htmlFor={`${id}-human`}>Human</label>
        <textarea
          id={`${id}-human`}
          rows={3}
          value={fields.human}
          onChange={set('human')}
          placeholder="What the agent knows about you"
        />
        <ErrorNotice error={created.error} title="Could not create the agent" />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={created.fetching}>
            Create agent
          </button>
        </div>
      </form>
    </dialog>
  );
}
