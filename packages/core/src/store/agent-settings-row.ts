import type { AgentMcpTool, AgentSettings } from '../domain/types.ts';

const same = (text: string): string => text;

/**
 * An agent's settings from their stored JSON object (or to be stored, with `text` making each model
 * name storable): every field present, a field the object lacks (a row older than it) at its default.
 */
export function agentSettingsOf(stored: unknown, text: (value: string) => string = same): AgentSettings {
  const raw = (stored !== null && typeof stored === 'object' ? stored : {}) as Partial<
    Record<keyof AgentSettings, unknown>
  >;
  const model = (value: unknown): string | null => (typeof value === 'string' ? text(value) : null);
  const count = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return {
    summaryModel: model(raw.summaryModel),
    embeddingModel: model(raw.embeddingModel),
    fallbackModels: Array.isArray(raw.fallbackModels)
      ? raw.fallbackModels.filter((entry): entry is string => typeof entry === 'string').map(text)
      : [],
    maxStepsPerTurn: count(raw.maxStepsPerTurn),
    maxTokensPerTurn: count(raw.maxTokensPerTurn),
  };
}

/** An agent's MCP attachments from their stored JSON array (`agents.mcp_tools`); malformed entries are dropped. */
export function agentMcpToolsOf(stored: unknown): AgentMcpTool[] {
  const raw = typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') return [];
    const { serverId, tool } = entry as { serverId?: unknown; tool?: unknown };
    if (typeof serverId !== 'string') return [];
    return [{ serverId, tool: typeof tool === 'string' ? tool : null }];
  });
}

/** The attachments as stored: a JSON array of `{serverId, tool}`. */
export function storableMcpTools(tools: readonly AgentMcpTool[]): string {
  return JSON.stringify(tools.map(({ serverId, tool }) => ({ serverId, tool })));
}
