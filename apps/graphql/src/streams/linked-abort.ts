/** A native AbortController that follows another signal until `unlink()` is called. */
export interface LinkedAbort {
  controller: AbortController;
  unlink(): void;
}

/**
 * Yoga's request signal can be a ponyfill that fetch-based upstream clients refuse, so the core
 * gets a native signal of its own that aborts when the request's does.
 */
export function linkedAbort(signal: AbortSignal | undefined): LinkedAbort {
  const controller = new AbortController();
  const follow = () => controller.abort(new DOMException('The client went away.', 'AbortError'));
  if (signal?.aborted) follow();
  else signal?.addEventListener('abort', follow, { once: true });
  return { controller, unlink: () => signal?.removeEventListener('abort', follow) };
}
