import {
  type ContextResource,
  type ModelEntry,
  type Passage,
  passageResource,
  type SearchResults,
  type StoredMessage,
} from '@memgate/core';
import { messageFields } from './agent-output.ts';

/** The GraphQL `ArchivalPassage`, from the REST resource of the same passage. */
export function passageFields(passage: Passage) {
  const resource = passageResource(passage);
  return {
    id: resource.id,
    object: resource.object,
    content: resource.content,
    embeddingModel: resource.embedding_model,
    createdAt: resource.created_at,
  };
}

/**
 * One page of a search as GraphQL has it (`ArchivalSearch`, `MessageSearch`): REST's page fields
 * (`GET /v1/agents/{id}/archival/search`) in camelCase, each hit through `toFields`.
 */
function searchPageFields<Hit, Fields>(results: SearchResults<Hit>, toFields: (hit: Hit) => Fields) {
  return {
    query: results.query,
    searchMode: results.mode,
    total: results.total,
    page: results.page,
    pages: results.pages,
    pageSize: results.pageSize,
    data: results.hits.map(toFields),
  };
}

/** The GraphQL `ArchivalSearch`. */
export function passageSearchFields(results: SearchResults<Passage>) {
  return searchPageFields(results, passageFields);
}

/** The GraphQL `MessageSearch`: the page's fields as an archival search has them, with messages. */
export function messageSearchFields(results: SearchResults<StoredMessage>) {
  return searchPageFields(results, messageFields);
}

/** The GraphQL `AgentContext`, from the REST context report. */
export function contextFields(context: ContextResource) {
  return {
    object: context.object,
    agentId: context.agent_id,
    contextWindow: context.context_window,
    tokens: context.tokens,
    messagesInContext: context.messages_in_context,
    summarisedMessages: context.summarised_messages,
    summary: context.summary,
    thresholds: { memoryPressure: context.thresholds.memory_pressure, summarise: context.thresholds.summarise },
  };
}

/** The GraphQL `Model`, from one entry of REST's model list. */
export function modelFields(model: ModelEntry) {
  return {
    id: model.id,
    object: model.object,
    created: model.created,
    ownedBy: model.owned_by,
    name: model.name,
    provider: model.provider ?? null,
    contextWindow: model.context_window ?? null,
    supportsTools: model.supports_tools ?? null,
    supportsVision: model.supports_vision ?? null,
    inputPrice: model.input_price ?? null,
    outputPrice: model.output_price ?? null,
  };
}
