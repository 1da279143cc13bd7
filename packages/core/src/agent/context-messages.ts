import { messageContentParts } from '../attachments/content-parts.ts';
import type { StoredMessage } from '../domain/types.ts';
import type { LlmMessage } from '../llm/provider.ts';

/** Maps stored history onto the OpenAI message format sent upstream. */
export function toLlmMessage(message: Omit<StoredMessage, 'conversationId'>): LlmMessage {
  switch (message.role) {
    case 'user': {
      // Images go upstream as parts for as long as their message is in the window.
      const content = messageContentParts(message) ?? message.content ?? '';
      return message.name ? { role: 'user', content, name: message.name } : { role: 'user', content };
    }
    case 'assistant':
      return message.toolCalls && message.toolCalls.length > 0
        ? { role: 'assistant', content: message.content, tool_calls: message.toolCalls }
        : { role: 'assistant', content: message.content ?? '' };
    case 'tool':
      return { role: 'tool', content: message.content ?? '', tool_call_id: message.toolCallId ?? '' };
    case 'system':
      return { role: 'system', content: message.content ?? '' };
  }
}
