import { Markdown } from '../ui/markdown.tsx';
import type { Step } from './timeline.ts';
import { prettyJson } from './tool-calls.ts';

function StepView({ step }: { step: Step }) {
  if (step.kind === 'thought') {
    return (
      <details className="step step-thought">
        <summary>Inner monologue</summary>
        <Markdown text={step.text} />
      </details>
    );
  }
  if (step.kind === 'note') {
    return (
      <details className="step step-note">
        <summary>System note</summary>
        <pre>{step.text}</pre>
      </details>
    );
  }
  const { call, result } = step;
  const state = result === null ? (step.clientTool ? 'waiting for you' : 'running') : 'done';
  return (
    <details className="step step-tool">
      <summary>
        Tool <code>{call.name}</code> <span className="muted">({state})</span>
      </summary>
      {call.arguments && (
        <>
          <p className="step-label">Arguments</p>
          <pre>{prettyJson(call.arguments)}</pre>
        </>
      )}
      {result !== null && (
        <>
          <p className="step-label">Result</p>
          <pre>{prettyJson(result)}</pre>
        </>
      )}
    </details>
  );
}

/** The agent's steps under a reply, each collapsed: monologue, tool calls with arguments and results. */
export function Steps({ steps }: { steps: readonly Step[] }) {
  if (steps.length === 0) return null;
  return (
    <div className="steps">
      {steps.map((step) => (
        <StepView key={step.key} step={step} />
      ))}
    </div>
  );
}
