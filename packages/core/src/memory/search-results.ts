/** One page of a memory search, as tools and endpoints present it. */
export interface SearchResults<T> {
  query: string;
  /** 1-based. */
  page: number;
  /** Pages the query has (0 when it found nothing). */
  pages: number;
  pageSize: number;
  total: number;
  hits: T[];
  /** `hybrid` when vector similarity took part in the ranking. */
  mode: 'text' | 'hybrid';
}

/** Where a 1-based page starts. Page 0, as MemGPT-trained models send it, is read as the first page. */
export function pageOffset(page: number, pageSize: number): number {
  return (Math.max(1, Math.trunc(page)) - 1) * pageSize;
}

/** Assembles the results of one page. */
export function searchResults<T>(
  fields: Omit<SearchResults<T>, 'pages' | 'page'> & { page: number },
): SearchResults<T> {
  return {
    ...fields,
    page: Math.max(1, Math.trunc(fields.page)),
    pages: Math.ceil(fields.total / fields.pageSize),
  };
}

/** The header every search result starts with: "Showing 5 of 23 results (page 1/5)". */
export function searchHeader(results: SearchResults<unknown>): string {
  if (results.total === 0) return `No results found for "${results.query}".`;
  const header = `Showing ${results.hits.length} of ${results.total} results (page ${results.page}/${results.pages})`;
  return results.hits.length === 0 ? `${header}: past the last page.` : header;
}
