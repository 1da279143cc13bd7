import type { StoredMessage } from '../domain/types.ts';
import type { Store } from '../store/store.ts';
import { pageOffset, type SearchResults, searchResults } from './search-results.ts';
import { searchTerms } from './search-text.ts';

/** Recall memory: the agent's stored history, one conversation's or all of them, searched by text. */
export class RecallMemory {
  constructor(private readonly store: Store) {}

  /** `conversationId` limits the search to that conversation; without it, every conversation of the agent. */
  async search(agentId: string, query: string, paging: { page: number; pageSize: number }, conversationId?: string) {
    const terms = searchTerms(query);
    const found = await this.store.searchMessages(agentId, {
      terms,
      limit: paging.pageSize,
      offset: pageOffset(paging.page, paging.pageSize),
      ...(conversationId !== undefined && { conversationId }),
    });
    const results: SearchResults<StoredMessage> = searchResults({
      query,
      page: paging.page,
      pageSize: paging.pageSize,
      total: found.total,
      hits: found.hits,
      mode: 'text',
    });
    return results;
  }
}
