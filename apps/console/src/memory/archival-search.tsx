import type { CombinedError } from '@urql/core';
import { type FormEvent, useId, useState } from 'react';
import { useClient } from 'urql';
import type { ArchivalSearchQuery } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { PassageItem } from './passage-item.tsx';

const SearchArchivalQuery = graphql(`
  query ArchivalSearch($agentId: ID!, $query: String!, $page: Int, $limit: Int) {
    searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {
      query
      searchMode
      total
      page
      pages
      data {
        id
        content
        createdAt
      }
    }
  }
`);

const PAGE_SIZE = 10;
type Results = ArchivalSearchQuery['searchArchival'];

interface ArchivalSearchProps {
  agentId: string;
  /** Passages deleted since the search ran: left out of its results. */
  deleted: ReadonlySet<string>;
  onDeleted(id: string): void;
}

/** Searches archival memory (the server's search: full text or embeddings), a page of hits at a time. */
export function ArchivalSearch({ agentId, deleted, onDeleted }: ArchivalSearchProps) {
  const client = useClient();
  const [text, setText] = useState('');
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [searching, setSearching] = useState(false);
  const fieldId = useId();

  async function search(query: string, page: number) {
    setSearching(true);
    const variables = { agentId, query, page, limit: PAGE_SIZE };
    const result = await client.query(SearchArchivalQuery, variables, { requestPolicy: 'network-only' }).toPromise();
    setSearching(false);
    setError(result.error ?? null);
    setResults(result.data?.searchArchival ?? null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim() !== '') void search(text.trim(), 1);
  }

  return (
    <div className="archival-search">
      <form onSubmit={submit}>
        <label htmlFor={fieldId}>Search archival memory</label>
        <div className="archival-search-row">
          <input id={fieldId} type="search" value={text} onChange={(event) => setText(event.target.value)} />
          <button type="submit" disabled={searching}>
            Search
          </button>
          {results && (
            <button type="button" onClick={() => setResults(null)}>
              Clear
            </button>
          )}
        </div>
      </form>
      <ErrorNotice error={error} title="Search failed" />
      {results && (
        <section aria-label="Search results" className="archival-results">
          <p role="status">
            {results.total} {results.total === 1 ? 'match' : 'matches'} for “{results.query}” ({results.searchMode})
            {results.pages > 1 && ` · page ${results.page} of ${results.pages}`}
          </p>
          <ul className="passage-list">
            {results.data
              .filter((passage) => !deleted.has(passage.id))
              .map((passage) => (
                <PassageItem key={passage.id} agentId={agentId} passage={passage} onDeleted={onDeleted} />
              ))}
          </ul>
          {results.pages > 1 && (
            <div className="archival-pager">
              <button
                type="button"
                disabled={searching || results.page <= 1}
                onClick={() => void search(results.query, results.page - 1)}
              >
                Previous page
              </button>
              <button
                type="button"
                disabled={searching || results.page >= results.pages}
                onClick={() => void search(results.query, results.page + 1)}
              >
                Next page
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
