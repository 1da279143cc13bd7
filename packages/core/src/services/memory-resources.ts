import type { z } from 'zod';
import type { ContextMeasure } from '../context/context-budget.ts';
import { MEMORY_PRESSURE_RATIO, SUMMARISE_RATIO } from '../context/context-budget.ts';
import type { ContextSummary, Passage } from '../domain/types.ts';
import type { SearchResults } from '../memory/search-results.ts';
import type {
  contextResourceSchema,
  passageResourceSchema,
  passageSearchResourceSchema,
} from '../schemas/resource-schemas.ts';

/** The REST/WebSocket shape of an archival passage. */
export type PassageResource = z.output<typeof passageResourceSchema>;

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
export type PassageSearchResource = z.output<typeof passageSearchResourceSchema>;

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
export type ContextResource = z.output<typeof contextResourceSchema>;

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
