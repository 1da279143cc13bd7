import { MAX_PASSAGE_CHARACTERS } from '../memory/archival-memory.ts';
import { searchHeader } from '../memory/search-results.ts';
import { messageSearchText } from '../memory/search-text.ts';
import {
  type AgentTool,
  clipText,
  fn,
  heartbeatParameter,
  ok,
  pageArgument,
  pageParameter,
  readOnlyMemory,
  stringArgument,
  type ToolContext,
  toolFailure,
} from './tool-helpers.ts';

/** Results per page of the search tools (MemGPT's page size). */
export const SEARCH_PAGE_SIZE = 5;

/**
 * A page of results that fits the agent's result limit whole: each entry's text is clipped, tighter
 * and tighter, until the JSON fits. Clipping entries keeps the result valid JSON, which cutting the
 * finished result (the last resort in tool execution) would not.
 */
function fittedPage(header: string, context: ToolContext, render: (clip: number) => Record<string, unknown>[]) {
  let clip = Math.max(50, Math.floor((context.maxResultCharacters - 400) / SEARCH_PAGE_SIZE));
  let outcome = ok(header, { results: render(clip) });
  while (outcome.result.length > context.maxResultCharacters && clip > 50) {
    clip = Math.max(50, Math.floor(clip * 0.8));
    outcome = ok(header, { results: render(clip) });
  }
  return outcome;
}

function queryArgument(args: Record<string, unknown>) {
  const query = stringArgument(args, 'query');
  if (typeof query === 'string' && query.trim() === '') return toolFailure('Argument "query" must not be empty.');
  return query;
}

export const archivalMemoryInsert: AgentTool = {
  definition: fn(
    'archival_memory_insert',
    'Add to archival memory, your unlimited long-term store. Make sure to phrase the memory contents such that it can be easily queried later.',
    {
      content: {
        type: 'string',
        description: 'Content to write to the memory. All unicode (including emojis) are supported.',
      },
      request_heartbeat: heartbeatParameter,
    },
    ['content', 'request_heartbeat'],
  ),
  async run(args, context) {
    const content = stringArgument(args, 'content');
    if (typeof content !== 'string') return content;
    if (content.trim() === '') return toolFailure('Argument "content" must not be empty.');
    if (content.length > MAX_PASSAGE_CHARACTERS) {
      return toolFailure(
        `The content has ${content.length} characters, over the ${MAX_PASSAGE_CHARACTERS} a passage may hold; split it into several passages.`,
      );
    }
    if (context.readOnly) return readOnlyMemory();
    const passage = await context.archival.prepare(context.agentId, content, context.signal, context.usage);
    context.newPassages.push(passage);
    return ok(`Inserted into archival memory as ${passage.id}.`);
  },
};

export const archivalMemorySearch: AgentTool = {
  definition: fn(
    'archival_memory_search',
    'Search archival memory using semantic (embedding-based) and keyword search.',
    {
      query: { type: 'string', description: 'String to search for.' },
      page: pageParameter,
      request_heartbeat: heartbeatParameter,
    },
    ['query', 'request_heartbeat'],
  ),
  async run(args, context) {
    const query = queryArgument(args);
    if (typeof query !== 'string') return query;
    const page = pageArgument(args);
    if (typeof page !== 'number') return page;
    const results = await context.archival.search(
      context.agentId,
      query,
      { page, pageSize: SEARCH_PAGE_SIZE },
      context.signal,
      context.usage,
    );
    return fittedPage(searchHeader(results), context, (clip) =>
      results.hits.map((passage) => ({ timestamp: passage.createdAt, content: clipText(passage.content, clip) })),
    );
  },
};

export const conversationSearch: AgentTool = {
  definition: fn(
    'conversation_search',
    'Search prior conversation history (also what has left your context window) using keyword search.',
    {
      query: { type: 'string', description: 'String to search for.' },
      scope: {
        type: 'string',
        enum: ['conversation', 'agent'],
        description: 'Search this conversation (the default) or every conversation you have had.',
      },
      page: pageParameter,
      request_heartbeat: heartbeatParameter,
    },
    ['query', 'request_heartbeat'],
  ),
  async run(args, context) {
    const query = queryArgument(args);
    if (typeof query !== 'string') return query;
    const page = pageArgument(args);
    if (typeof page !== 'number') return page;
    const scope = args['scope'] ?? 'conversation';
    if (scope !== 'conversation' && scope !== 'agent') {
      return toolFailure('scope must be "conversation" or "agent".');
    }
    const paging = { page, pageSize: SEARCH_PAGE_SIZE };
    const conversationId = scope === 'conversation' ? context.conversationId : undefined;
    const results = await context.recall.search(context.agentId, query, paging, conversationId);
    return fittedPage(searchHeader(results), context, (clip) =>
      results.hits.map((message) => ({
        timestamp: message.createdAt,
        role: message.role,
        content: clipText(messageSearchText(message) ?? '', clip),
      })),
    );
  },
};
