import { type ChangeEvent, useId, useRef, useState } from 'react';
import { type CombinedError, useClient, useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { navigate } from '../router.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';

const ImportPlan = graphql(`
  query AgentImportPlan($file: JSON!) {
    agentImportPlan(file: $file) {
      dryRun
      warnings
      agents {
        id
        name
        model
      }
    }
  }
`);

const ImportAgentMutation = graphql(`
  mutation ImportAgent($file: JSON!) {
    importAgent(file: $file) {
      agent {
        id
      }
      agentIds
      warnings
    }
  }
`);

interface Plan {
  fileName: string;
  file: unknown;
  agents: { name: string; model: string }[];
  warnings: string[];
}

/**
 * Import an Agent File (`.af`): the server first checks it without writing anything
 * (`agentImportPlan`), the plan and its warnings are shown, and only a confirmation imports it.
 */
export function ImportAgent({ onImported }: { onImported(): void }) {
  const id = useId();
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planError, setPlanError] = useState<CombinedError | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [imported, importAgent] = useMutation(ImportAgentMutation);

  const reset = () => {
    setPlan(null);
    if (input.current) input.current.value = '';
  };

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setPlan(null);
    setPlanError(null);
    setReadError(null);
    if (!chosen) return;
    let file: unknown;
    try {
      file = JSON.parse(await chosen.text());
    } catch {
      setReadError(`${chosen.name} is not an Agent File: it is not JSON.`);
      return;
    }
    const result = await client.query(ImportPlan, { file }, { requestPolicy: 'network-only' }).toPromise();
    setPlanError(result.error ?? null);
    const planned = result.data?.agentImportPlan;
    if (planned) setPlan({ fileName: chosen.name, file, agents: planned.agents, warnings: planned.warnings });
  };

  const confirm = async () => {
    if (!plan) return;
    const result = await importAgent({ file: plan.file });
    const agent = result.data?.importAgent.agent;
    if (!agent) return;
    reset();
    onImported();
    navigate({ name: 'agent', agentId: agent.id, panel: 'memory', conversationId: null });
  };

  return (
    <div className="import-agent">
      <label htmlFor={id}>Import agent file</label>
      <input id={id} ref={input} type="file" accept=".af,.json,application/json" onChange={choose} />
      {readError && (
        <p role="alert" className="error-notice">
          {readError}
        </p>
      )}
      <ErrorNotice error={planError} title="The file cannot be imported" />
      {plan && (
        <section className="import-plan" aria-label="Import plan">
          <p>
            {plan.fileName} holds {plan.agents.length === 1 ? 'one agent' : `${plan.agents.length} agents`}:{' '}
            {plan.agents.map((agent) => `${agent.name} (${agent.model})`).join(', ')}.
          </p>
          {plan.warnings.length > 0 && (
            <ul className="import-warnings" aria-label="Warnings">
              {plan.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <button type="button" className="primary" onClick={confirm} disabled={imported.fetching}>
            Import
          </button>
          <button type="button" onClick={reset}>
            Cancel
          </button>
        </section>
      )}
      <ErrorNotice error={imported.error} title="Could not import the agent" />
    </div>
  );
}
