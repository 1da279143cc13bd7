import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { prettyJson, type StoredToolCall } from './tool-calls.ts';

const ApprovalTools = graphql(`
  query ApprovalTools($agentId: ID!) {
    agentTools(agentId: $agentId) {
      tools {
        name
        requiresApproval
      }
    }
  }
`);

/** One answer: the tool message's content for that call. */
export type ToolAnswers = Map<string, string>;

function CallPrompt({
  call,
  approval,
  answered,
  onAnswer,
}: {
  call: StoredToolCall;
  approval: boolean;
  answered: boolean;
  onAnswer(content: string): void;
}) {
  const [text, setText] = useState('');
  const headingId = `prompt-${call.id}`;
  return (
    <section className="tool-prompt" aria-labelledby={headingId}>
      <h2 id={headingId} className="tool-prompt-title">
        {approval ? 'Approve' : 'Run'} <code>{call.name}</code>?
      </h2>
      <pre>{prettyJson(call.arguments)}</pre>
      {answered ? (
        <p className="muted">Answered; waiting for the other calls.</p>
      ) : approval ? (
        <div className="prompt-actions">
          <label>
            Reason (if you decline)
            <input value={text} onChange={(event) => setText(event.target.value)} />
          </label>
          <button type="button" className="primary" onClick={() => onAnswer(JSON.stringify({ approve: true }))}>
            Approve
          </button>
          <button
            type="button"
            onClick={() =>
              onAnswer(JSON.stringify(text.trim() ? { approve: false, reason: text.trim() } : { approve: false }))
            }
          >
            Decline
          </button>
        </div>
      ) : (
        <form
          className="prompt-actions"
          onSubmit={(event) => {
            event.preventDefault();
            onAnswer(text);
          }}
        >
          <label>
            Result of {call.name}
            <textarea rows={2} value={text} onChange={(event) => setText(event.target.value)} />
          </label>
          <button type="submit">Send result</button>
        </form>
      )}
    </section>
  );
}

/**
 * The calls the agent waits on: an MCP tool needing approval (Approve / Decline) or a client tool
 * (its result). The server takes the answers of all pending calls in one request, so they are
 * sent together once each call has one.
 */
export function ToolPrompts({
  agentId,
  calls,
  busy,
  onAnswers,
}: {
  agentId: string;
  calls: readonly StoredToolCall[];
  busy: boolean;
  onAnswers(answers: ToolAnswers): void;
}) {
  const [{ data }] = useQuery({ query: ApprovalTools, variables: { agentId }, pause: calls.length === 0 });
  const [answers, setAnswers] = useState<ToolAnswers>(new Map());
  if (calls.length === 0 || busy) return null;
  const needsApproval = new Set(
    data?.agentTools.tools.filter((tool) => tool.requiresApproval).map((tool) => tool.name),
  );
  const answer = (call: StoredToolCall, content: string) => {
    const next = new Map(answers).set(call.id, content);
    if (calls.every((pending) => next.has(pending.id))) {
      setAnswers(new Map());
      onAnswers(next);
    } else setAnswers(next);
  };
  return (
    <div className="tool-prompts">
      {calls.map((call) => (
        <CallPrompt
          key={call.id}
          call={call}
          approval={needsApproval.has(call.name)}
          answered={answers.has(call.id)}
          onAnswer={(content) => answer(call, content)}
        />
      ))}
    </div>
  );
}
