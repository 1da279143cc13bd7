import type { ContextMeasure } from '../context/context-budget.ts';
import { MEMORY_PRESSURE_RATIO, SUMMARISE_RATIO } from '../context/context-budget.ts';
import type { ContextSummary, Passage } from '../domain/types.ts';
import type { SearchResults } from '../memory/search-results.ts';

/** The REST/WebSocket shape of an archival passage. */
export interface PassageResource {
  id: string;
  object: 'archival_passage';
  content: string;
  /** The model that embedded it; null when it is found by text only. */
  embedding_model: string | null;
  created_at: string;
}

export function passageResource(passage: Passage): PassageResource {
  return {
    id: passage.id,
    object: 'archival_passage',
    content: passage.content,
    embedding_model: passage.embeddingModel,
    created_at: passage.createdAt,
  };
}

/** One page of an archival search. */
export interface PassageSearchResource {
  object: 'list';
  query: string;
  /** `hybrid` when vector similarity took part, `text` when ranked by words alone. */
  search_mode: 'text' | 'hybrid';
  total: number;
  page: number;
  pages: number;
  page_size: number;
  data: PassageResource[];
}

export function passageSearchResource(results: SearchResults<Passage>): PassageSearchResource {
  return {
    object: 'list',
    query: results.query,
    search_mode: results.mode,
    total: results.total,
    page: results.page,
    pages: results.pages,
    page_size: results.pageSize,
    data: results.hits.map(passageResource),
  };
}

/** What an agent's next prompt is made of, in tokens (GET /v1/agents/{id}/context). */
export interface ContextResource {
  object: 'agent.context';
  agent_id: string;
  context_window: number;
  tokens: { system: number; memory: number; summary: number; messages: number; tools: number; total: number };
  messages_in_context: number;
  /** Messages folded into the summary so far (they stay in the history). */
  summarised_messages: number;
  summary: string | null;
  /** Token counts at which the agent is warned, and at which the oldest messages are summarised. */
  thresholds: { memory_pressure: number; summarise: number };
}

export function contextResource(
  agentId: string,
  measure: ContextMeasure,
  window: { messages: number; summary: ContextSummary | null },
): ContextResource {
  const { system, memory, summary, messages, tools, total, contextWindow } = measure;
  return {
    object: 'agent.context',
    agent_id: agentId,
    context_window: contextWindow,
    tokens: { system, memory, summary, messages, tools, total },
    messages_in_context: window.messages,
    summarised_messages: window.summary?.messageCount ?? 0,
    summary: window.summary?.text ?? null,
    thresholds: {
      memory_pressure: Math.floor(contextWindow * MEMORY_PRESSURE_RATIO),
      summarise: Math.floor(contextWindow * SUMMARISE_RATIO),
    },
  };
}
