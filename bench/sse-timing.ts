/** When each piece of reply text reached the client, in ms since the request was sent. */
export interface StreamTiming {
  /** Time to the first piece of reply text. */
  firstContentMs: number;
  /** Time to the last piece of reply text. */
  lastContentMs: number;
  /** Pieces of reply text received (a chunk or frame that carried some). */
  contentChunks: number;
  /** Characters of reply text received. */
  contentCharacters: number;
}

/** Collects content arrivals; one per streamed turn. */
export class ContentClock {
  readonly #started = performance.now();
  #first = Number.NaN;
  #last = Number.NaN;
  #chunks = 0;
  #characters = 0;

  /** Notes a chunk that carried `text` (empty text is ignored: role and finish chunks carry none). */
  content(text: string | null | undefined): void {
    if (!text) return;
    const now = performance.now() - this.#started;
    if (this.#chunks === 0) this.#first = now;
    this.#last = now;
    this.#chunks++;
    this.#characters += text.length;
  }

  timing(): StreamTiming {
    if (this.#chunks === 0) throw new Error('the stream carried no reply text');
    return {
      firstContentMs: this.#first,
      lastContentMs: this.#last,
      contentChunks: this.#chunks,
      contentCharacters: this.#characters,
    };
  }
}

/** Yields the `data:` payload of each SSE event of a fetch response as it arrives. */
export async function* sseData(response: Response): AsyncGenerator<string> {
  if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) yield data;
    }
  }
}

/**
 * The reply text inside a streamed `send_message` call's arguments, as a gateway sees it: the
 * upstream's own "first token" is the first argument piece that carries a character of the message.
 */
export class SendMessageText {
  #arguments = '';
  #emitted = 0;

  /** Adds an argument piece; returns the message text it revealed (approximate: escapes stay as sent). */
  push(piece: string): string {
    this.#arguments += piece;
    const match = /"message"\s*:\s*"/.exec(this.#arguments);
    if (!match) return '';
    let text = this.#arguments.slice(match.index + match[0].length);
    const closing = text.search(/(?<!\\)"/);
    if (closing !== -1) text = text.slice(0, closing);
    const revealed = text.slice(this.#emitted);
    this.#emitted = text.length;
    return revealed;
  }
}
