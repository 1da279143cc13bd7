import { MemgateError, type TranscriptMode } from '@memgate/core';
import type { Request } from 'express';

/**
 * Chat UIs that name their chats in a header, and the header: Open WebUI sends its chat id when
 * `ENABLE_FORWARD_USER_INFO_HEADERS=true`; LibreChat sends what its `librechat.yaml` puts in the
 * endpoint's `headers` (docs/conversations.md gives `{{LIBRECHAT_BODY_CONVERSATIONID}}` for this one).
 */
const CHAT_UI_HEADERS = [
  ['openwebui', 'x-openwebui-chat-id'],
  ['librechat', 'x-librechat-conversation-id'],
] as const;

/** Longest chat id kept from a chat UI's header; longer ones are cut (they key a map, nothing more). */
const MAX_CHAT_KEY = 200;

/**
 * The conversation a Chat Completions request names outside its body: `X-Memgate-Conversation`,
 * else a chat UI's chat id as a key (`openwebui:<id>`), mapped to a conversation by the core. Blank
 * headers count as absent.
 */
export function conversationOfHeaders(request: Request): { conversationId?: string; conversationKey?: string } {
  const named = request.get('x-memgate-conversation')?.trim();
  if (named) return { conversationId: named };
  for (const [ui, header] of CHAT_UI_HEADERS) {
    const id = request.get(header)?.trim();
    if (id) return { conversationKey: `${ui}:${id.slice(0, MAX_CHAT_KEY)}` };
  }
  return {};
}

/**
 * `X-Memgate-Transcript`: `reconcile` compares the request's transcript with the stored conversation
 * and rewinds to the first divergence before the turn; `append` takes only the new input. Absent:
 * the core's default (reconcile for a chat UI's chats). Any other value is refused, naming the header.
 */
export function transcriptOfHeaders(request: Request): { transcript?: TranscriptMode } {
  const value = request.get('x-memgate-transcript')?.trim();
  if (!value) return {};
  const mode = value.toLowerCase();
  if (mode === 'reconcile' || mode === 'append') return { transcript: mode };
  throw new MemgateError(
    'BAD_USER_INPUT',
    `The X-Memgate-Transcript header must be "reconcile" or "append"; got "${value.slice(0, 100)}".`,
    { param: 'X-Memgate-Transcript', detailCode: 'invalid_header' },
  );
}
