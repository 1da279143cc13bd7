import { createJsonStringFieldExtractor } from './streaming-json-field.ts';

/**
 * Assembles the user-visible reply of a turn from send_message calls (and plain-text answers),
 * joining several sends with a blank line, and hands out the text as deltas.
 */
export class ReplyWriter {
  private readonly parts: string[] = [];
  private current: string | null = null;

  /** Starts a new message; returns the separator delta to emit if text came before. */
  begin(): string {
    this.finish();
    this.current = '';
    return this.parts.length > 0 ? '\n\n' : '';
  }

  /** Appends text to the message begun last. */
  write(text: string): void {
    if (this.current === null) this.current = '';
    this.current += text;
  }

  private finish(): void {
    if (this.current !== null) this.parts.push(this.current);
    this.current = null;
  }

  /** The whole reply, or null when the agent said nothing. */
  text(): string | null {
    this.finish();
    return this.parts.length > 0 ? this.parts.join('\n\n') : null;
  }
}

/** Streams the `message` argument of one send_message call out of its argument deltas. */
export class SendMessageStream {
  private readonly extractor = createJsonStringFieldExtractor('message');
  private started = false;

  constructor(private readonly reply: ReplyWriter) {}

  /** Feeds an arguments delta; returns the reply delta to emit (may be empty). */
  push(argumentsDelta: string): string {
    const text = this.extractor.push(argumentsDelta);
    if (!text) return '';
    let delta = text;
    if (!this.started) {
      this.started = true;
      delta = this.reply.begin() + text;
    }
    this.reply.write(text);
    return delta;
  }

  get hasText(): boolean {
    return this.started;
  }
}
