/** The parts of a prompt, in the order the context bar draws them. */
export const CONTEXT_PARTS = [
  { key: 'system', label: 'System' },
  { key: 'tools', label: 'Tools' },
  { key: 'memory', label: 'Memory blocks' },
  { key: 'summary', label: 'Summary' },
  { key: 'messages', label: 'Messages' },
] as const;

export type ContextPart = (typeof CONTEXT_PARTS)[number]['key'];
export type ContextTokens = Record<ContextPart | 'total', number>;

/** Token counts as the console prints them, the same in every locale ("128,000"), so they can be compared with REST. */
export function formatTokens(tokens: number): string {
  return tokens.toLocaleString('en-US');
}

/** `part` as a whole percentage of `whole` (0 for an empty whole). */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/** The context meter's aria-valuetext, e.g. "3,210 of 128,000 tokens (3%)". */
export function contextValueText(total: number, contextWindow: number): string {
  return `${formatTokens(total)} of ${formatTokens(contextWindow)} tokens (${percentOf(total, contextWindow)}%)`;
}

export interface BarSegment {
  key: ContextPart;
  label: string;
  tokens: number;
  /** Left edge and width, in percent of the bar. */
  start: number;
  width: number;
}

/**
 * Where each part sits on the bar. The bar spans the context window, or the total when a prompt
 * overflows it (so the segments never spill out of the bar).
 */
export function barSegments(tokens: ContextTokens, contextWindow: number): BarSegment[] {
  const span = Math.max(contextWindow, tokens.total, 1);
  let start = 0;
  return CONTEXT_PARTS.map(({ key, label }) => {
    const width = (Math.max(0, tokens[key]) / span) * 100;
    const segment = { key, label, tokens: tokens[key], start, width };
    start += width;
    return segment;
  });
}

/** A threshold's position on the bar, in percent (same span as barSegments). */
export function markerPosition(threshold: number, tokens: ContextTokens, contextWindow: number): number {
  const span = Math.max(contextWindow, tokens.total, 1);
  return Math.min(100, (threshold / span) * 100);
}
