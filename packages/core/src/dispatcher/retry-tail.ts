import type { Attachment, StoredMessage } from '../domain/types.ts';

/**
 * The client input stored at the end of the history with no agent output after it: what a turn
 * stored before its upstream failed. A client that retries that request (the official SDKs retry
 * 429/5xx on their own) resends exactly this input, which must not be stored twice.
 */
export function unansweredInput(recent: StoredMessage[], isAgentTool: (name: string) => boolean): StoredMessage[] {
  const tail: StoredMessage[] = [];
  for (let index = recent.length - 1; index >= 0; index--) {
    const message = recent[index]!;
    const fromClient = message.role === 'user' || (message.role === 'tool' && !isAgentTool(message.name ?? ''));
    if (!fromClient) break;
    tail.unshift(message);
  }
  return tail;
}

/** Recognises, in a new request, the messages a failed attempt of it already stored. */
export class RetryMatcher {
  private readonly users: StoredMessage[];
  private readonly toolResults: Map<string, StoredMessage>;
  private usersMatched = 0;
  private userMismatch = false;

  constructor(tail: StoredMessage[]) {
    this.users = tail.filter((message) => message.role === 'user');
    this.toolResults = new Map(
      tail.filter((message) => message.role === 'tool').map((message) => [message.toolCallId ?? '', message]),
    );
  }

  /** True when this user message, in this order, is one the failed attempt stored. */
  isStoredUser(content: string, attachments: Attachment[] = []): boolean {
    const stored = this.users[this.usersMatched];
    if (
      this.userMismatch ||
      !stored ||
      (stored.content ?? '') !== content ||
      !sameAttachments(stored.attachments ?? [], attachments)
    ) {
      this.userMismatch = true;
      return false;
    }
    this.usersMatched++;
    return true;
  }

  /** The stored result this tool message repeats, if any (matched by call id, or by name for functions). */
  storedToolResult(match: { toolCallId?: string; name?: string }, content: string): StoredMessage | undefined {
    const stored = match.toolCallId
      ? this.toolResults.get(match.toolCallId)
      : [...this.toolResults.values()].find((candidate) => candidate.name === match.name);
    return stored && stored.content === content ? stored : undefined;
  }
}

function sameAttachments(stored: Attachment[], sent: Attachment[]): boolean {
  return (
    stored.length === sent.length &&
    stored.every((attachment, index) => {
      const other = sent[index];
      return (
        other !== undefined &&
        attachment.url === other.url &&
        attachment.textOffset === other.textOffset &&
        attachment.detail === other.detail &&
        attachment.mediaType === other.mediaType &&
        Buffer.from(attachment.data ?? []).equals(Buffer.from(other.data ?? []))
      );
    })
  );
}
