import {
  type ContextResource,
  type ModelEntry,
  type Passage,
  passageResource,
  passageSearchResource,
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

/** The GraphQL `ArchivalSearch`, from REST's page of the same search. */
export function passageSearchFields(results: SearchResults<Passage>) {
  const resource = passageSearchResource(results);
  return {
    query: resource.query,
    searchMode: resource.search_mode,
    total: resource.total,
    page: resource.page,
    pages: resource.pages,
    pageSize: resource.page_size,
    data: results.hits.map(passageFields),
  };
}

/** The GraphQL `MessageSearch`: the page's fields as an archival search has them, with messages. */
export function messageSearchFields(results: SearchResults<StoredMessage>) {
  return {
    query: results.query,
    searchMode: results.mode,
    total: results.total,
    page: results.page,
    pages: results.pages,
    pageSize: results.pageSize,
    data: results.hits.map(messageFields),
  };
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
