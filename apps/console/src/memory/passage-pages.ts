/** An archival passage as the console shows it. */
export interface ShownPassage {
  id: string;
  content: string;
  createdAt: string;
}

/**
 * A page as the console lists it, newest first. The server answers a page like a page of history:
 * the newest `limit` passages before the cursor, oldest first (the store's MessagePage order).
 */
export function newestFirst<T>(page: readonly T[]): T[] {
  return [...page].reverse();
}

/**
 * The list after one more page (older passages): appended in order, skipping any already shown,
 * since a passage inserted meanwhile shifts the pages the server hands out.
 */
export function appendPage<T extends { id: string }>(shown: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(shown.map((passage) => passage.id));
  return [...shown, ...page.filter((passage) => !seen.has(passage.id))];
}

/** Whether the server may hold older passages: a full page suggests so. */
export function mayHaveMore(page: readonly unknown[], pageSize: number): boolean {
  return page.length >= pageSize;
}
