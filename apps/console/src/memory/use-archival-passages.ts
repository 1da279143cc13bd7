import type { CombinedError } from '@urql/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../gql/index.ts';
import { appendPage, mayHaveMore, newestFirst, type ShownPassage } from './passage-pages.ts';

const ArchivalPassagesQuery = graphql(`
  query ArchivalPassages($agentId: ID!, $limit: Int, $before: ID) {
    archivalPassages(agentId: $agentId, limit: $limit, before: $before) {
      id
      content
      createdAt
    }
  }
`);

const PAGE_SIZE = 20;

/**
 * The agent's archival passages, newest first, a page at a time: "Load more" asks for the page
 * before the oldest one shown.
 */
export function useArchivalPassages(agentId: string) {
  const client = useClient();
  const [passages, setPassages] = useState<ShownPassage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  // A reload started after this page was asked for wins: an older answer is dropped.
  const generation = useRef(0);

  const load = useCallback(
    async (before: string | null) => {
      const mine = before === null ? ++generation.current : generation.current;
      setLoading(true);
      const variables = { agentId, limit: PAGE_SIZE, ...(before !== null && { before }) };
      const result = await client
        .query(ArchivalPassagesQuery, variables, { requestPolicy: 'network-only' })
        .toPromise();
      if (mine !== generation.current) return;
      setLoading(false);
      setError(result.error ?? null);
      if (!result.data) return;
      const page = newestFirst(result.data.archivalPassages);
      setPassages((shown) => (before === null ? page : appendPage(shown, page)));
      setHasMore(mayHaveMore(page, PAGE_SIZE));
    },
    [client, agentId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return {
    passages,
    hasMore,
    loading,
    error,
    reload: () => load(null),
    loadMore: () => load(passages.at(-1)?.id ?? null),
    removed: (id: string) => setPassages((shown) => shown.filter((passage) => passage.id !== id)),
  };
}
