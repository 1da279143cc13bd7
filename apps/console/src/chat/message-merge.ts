/** Anything with an id: the merge keeps the server's order and never shows a message twice. */
interface Identified {
  id: string;
}

/**
 * The latest page, fetched again (after a send, a reconnect), laid over what is shown: earlier
 * pages stay in front, and messages that arrived by event after the page was read stay behind.
 * Without an overlap (more new messages than a page) the page replaces it all.
 */
export function mergeLatest<T extends Identified>(shown: readonly T[], latest: readonly T[]): T[] {
  const first = latest[0];
  if (!first) return [];
  const latestIds = new Set(latest.map((message) => message.id));
  const firstIndex = shown.findIndex((message) => message.id === first.id);
  const lastIndex = shown.findLastIndex((message) => latestIds.has(message.id));
  const before = firstIndex > 0 ? shown.slice(0, firstIndex) : [];
  const after = lastIndex >= 0 ? shown.slice(lastIndex + 1).filter((message) => !latestIds.has(message.id)) : [];
  return [...before, ...latest, ...after];
}

/** A message that arrived by event: replaces its copy when shown already, else goes last. */
export function appendMessage<T extends Identified>(shown: readonly T[], message: T): T[] {
  const index = shown.findIndex((candidate) => candidate.id === message.id);
  if (index < 0) return [...shown, message];
  const next = [...shown];
  next[index] = message;
  return next;
}

/** An earlier page goes in front (what is shown already wins). */
export function prependPage<T extends Identified>(shown: readonly T[], page: readonly T[]): T[] {
  const shownIds = new Set(shown.map((message) => message.id));
  return [...page.filter((message) => !shownIds.has(message.id)), ...shown];
}
