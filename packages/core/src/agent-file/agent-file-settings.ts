import { type AgentSettings, DEFAULT_AGENT_SETTINGS, MAX_STEPS_PER_TURN } from '../domain/types.ts';
import { contextWindowFor } from '../services/context-windows.ts';
import type { AgentImportOptions } from './agent-file-import.ts';
import type { AgentFileAgent } from './agent-file-schema.ts';
import type { ImportNotes } from './import-notes.ts';
import type { MemgateAgentState } from './memgate-state.ts';

// Letta's context window is the model's; memgate's agent schema accepts this range.
const MIN_CONTEXT_WINDOW = 1024;
const MAX_CONTEXT_WINDOW = 10_000_000;

/** The file's model when the upstream offers it (a Letta handle `provider/model` matches its model), else the default. */
export function resolveModel(agent: AgentFileAgent, options: AgentImportOptions, notes: ImportNotes): string {
  const wanted = agent.llm_config?.model ?? agent.model ?? null;
  if (!wanted) {
    notes.warn(`Agent ${agent.id}: it names no model; the default "${options.defaultModel}" is used.`);
    return options.defaultModel;
  }
  if (!options.models) return wanted;
  const bare = wanted.slice(wanted.lastIndexOf('/') + 1);
  const offered = [wanted, bare].find((model) => options.models?.includes(model));
  if (offered) return offered;
  notes.warn(
    `Agent ${agent.id}: model "${wanted}" is not offered by the upstream; the default "${options.defaultModel}" is used.`,
  );
  return options.defaultModel;
}

/** The file's window for its own model; the default model's when the model was replaced. */
export function contextWindow(agent: AgentFileAgent, model: string, notes: ImportNotes): number {
  const fileModel = agent.llm_config?.model ?? agent.model ?? null;
  const kept = fileModel !== null && (fileModel === model || fileModel.endsWith(`/${model}`));
  const given = kept ? (agent.llm_config?.context_window ?? agent.context_window_limit ?? null) : null;
  if (given === null) return contextWindowFor(model);
  const window = Math.min(Math.max(given, MIN_CONTEXT_WINDOW), MAX_CONTEXT_WINDOW);
  if (window !== given) notes.warn(`Agent ${agent.id}: context window ${given} became ${window}.`);
  return window;
}

export function importTags(agent: AgentFileAgent, notes: ImportNotes): string[] {
  const tags: string[] = [];
  for (const tag of agent.tags ?? []) {
    const text = notes.text(tag);
    if (text.length >= 1 && text.length <= 64 && !tags.includes(text)) tags.push(text);
    else if (!tags.includes(text))
      notes.warn(`Agent ${agent.id}: tag "${text.slice(0, 80)}" is not 1–64 characters; dropped.`);
  }
  return tags;
}

/** Letta's metadata holds any JSON; memgate's is up to 16 string pairs (keys ≤ 64, values ≤ 512). */
export function importMetadata(agent: AgentFileAgent, notes: ImportNotes): Record<string, string> | null {
  const entries = Object.entries(agent.metadata ?? {}).filter(([, value]) => value !== null && value !== undefined);
  if (entries.length === 0) return null;
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    const text = notes.text(typeof value === 'string' ? value : JSON.stringify(value));
    if (Object.keys(metadata).length >= 16 || key.length < 1 || key.length > 64 || text.length > 512) {
      notes.warn(`Agent ${agent.id}: metadata "${key.slice(0, 64)}" does not fit memgate's metadata; dropped.`);
      continue;
    }
    metadata[notes.text(key)] = text;
  }
  return Object.keys(metadata).length > 0 ? metadata : null;
}

/**
 * The settings memgate exported with the agent; a model role naming a model the upstream does not
 * offer is left out, with a warning (the agent's own model would be replaced the same way).
 */
export function importSettings(
  state: MemgateAgentState | null,
  agentId: string,
  options: AgentImportOptions,
  notes: ImportNotes,
): AgentSettings {
  const given = state?.settings;
  if (!given) return { ...DEFAULT_AGENT_SETTINGS };
  const offered = (model: string, role: string): boolean => {
    if (!options.models || options.models.includes(model)) return true;
    notes.warn(`Agent ${agentId}: ${role} "${model}" is not offered by the upstream; it is left out.`);
    return false;
  };
  const role = (model: string | null | undefined, name: string): string | null =>
    model && offered(notes.text(model), name) ? notes.text(model) : null;
  const steps = given.max_steps_per_turn ?? null;
  return {
    summaryModel: role(given.summary_model, 'summary model'),
    embeddingModel: role(given.embedding_model, 'embedding model'),
    fallbackModels: [...new Set((given.fallback_models ?? []).map((model) => notes.text(model)))]
      .filter((model) => offered(model, 'fallback model'))
      .slice(0, 8),
    maxStepsPerTurn: steps === null ? null : Math.min(steps, MAX_STEPS_PER_TURN),
    maxTokensPerTurn: given.max_tokens_per_turn ?? null,
  };
}
