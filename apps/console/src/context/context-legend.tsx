import { CONTEXT_PARTS, type ContextTokens, formatTokens } from './context-math.ts';

/**
 * Each part's tokens in numbers. Every item reads "<Part> <n> tokens" (e.g. "System 1,234 tokens")
 * and nothing else, so a test or a screen reader can compare it with REST's numbers.
 */
export function ContextLegend({ tokens, contextWindow }: { tokens: ContextTokens; contextWindow: number }) {
  return (
    <ul className="context-legend" aria-label="Context breakdown">
      {CONTEXT_PARTS.map(({ key, label }) => (
        <li key={key}>
          <span className={`context-swatch context-${key}`} aria-hidden="true" />
          {label} {formatTokens(tokens[key])} tokens
        </li>
      ))}
      <li className="context-total">Total {formatTokens(tokens.total)} tokens</li>
      <li>Window {formatTokens(contextWindow)} tokens</li>
    </ul>
  );
}
