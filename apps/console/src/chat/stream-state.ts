/** The part of a `ChatCompletionChunk` the chat reads. */
export interface StreamChunk {
  choices: ReadonlyArray<{
    delta: { content?: string | null };
    finishReason?: string | null;
    stopReason?: { message: string } | null;
  }>;
}

export interface StreamError {
  message: string;
  requestId: string | null;
}

/** A turn sent from this console, while its reply streams in and until the stored messages have it. */
export interface StreamState {
  /** The user's text as sent: shown until the stored user message arrives, restored on failure. */
  userText: string;
  /** The reply so far. */
  text: string;
  status: 'streaming' | 'done' | 'failed';
  finishReason: string | null;
  /** Why the turn stopped early (a per-turn limit or a budget), when it did. */
  stopReason: string | null;
  error: StreamError | null;
  /** The stored messages that existed when the turn was sent: any other one belongs to this turn. */
  knownIds: ReadonlySet<string>;
}

export function startStream(userText: string, knownIds: ReadonlySet<string>): StreamState {
  return { userText, text: '', status: 'streaming', finishReason: null, stopReason: null, error: null, knownIds };
}

/** Adds one chunk: its text, and the finish (and stop) reason when it carries one. */
export function applyChunk(state: StreamState, chunk: StreamChunk): StreamState {
  let { text, finishReason, stopReason } = state;
  for (const choice of chunk.choices) {
    if (choice.delta.content) text += choice.delta.content;
    if (choice.finishReason) finishReason = choice.finishReason;
    if (choice.stopReason) stopReason = choice.stopReason.message;
  }
  return text === state.text && finishReason === state.finishReason && stopReason === state.stopReason
    ? state
    : { ...state, text, finishReason, stopReason };
}

/** The stream ended: failed when an error came (in band or before the first chunk), done otherwise. */
export function endStream(state: StreamState, error: StreamError | null): StreamState {
  if (state.status !== 'streaming') return state;
  return error ? { ...state, status: 'failed', error } : { ...state, status: 'done' };
}
