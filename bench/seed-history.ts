import { randomUUID } from 'node:crypto';
import type { NewMessage, NewPassage, Store } from '@memgate/core';
import { embedText } from '@memgate/testkit';

const TOPICS = ['gardening', 'sailing', 'astronomy', 'baking', 'chess', 'hiking', 'pottery', 'jazz', 'tax returns'];

function message(agentId: string, index: number, fields: Partial<NewMessage>): NewMessage {
  return {
    id: `message-${randomUUID()}`,
    agentId,
    role: 'user',
    content: null,
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString(),
    ...fields,
  };
}

/** One exchange as the agent loop stores it: the user, the agent's send_message call, its result. */
function exchange(agentId: string, index: number): NewMessage[] {
  const topic = TOPICS[index % TOPICS.length];
  const callId = `call_${randomUUID().replaceAll('-', '')}`;
  const reply = `Echo: message ${index} about ${topic}, with a few more words to be realistic.`;
  return [
    message(agentId, index, { content: `Message ${index}: let us talk about ${topic} for a moment, shall we?` }),
    message(agentId, index, {
      role: 'assistant',
      toolCalls: [
        {
          id: callId,
          type: 'function',
          function: { name: 'send_message', arguments: JSON.stringify({ message: reply }) },
        },
      ],
    }),
    message(agentId, index, {
      role: 'tool',
      content: '{"status":"OK","message":"Sent."}',
      toolCallId: callId,
      name: 'send_message',
    }),
  ];
}

/** `count` history messages (whole exchanges, cut to the count), oldest first. */
export function historyMessages(agentId: string, count: number): NewMessage[] {
  const messages: NewMessage[] = [];
  for (let index = 0; messages.length < count; index++) messages.push(...exchange(agentId, index));
  // Never end on a cut exchange: a window must not start with a tool result.
  return messages.slice(0, count - (count % 3));
}

/** `count` archival passages embedded as the mock upstream embeds (same model name, same vectors). */
export function passages(agentId: string, count: number, embeddingModel: string): NewPassage[] {
  return Array.from({ length: count }, (_, index) => {
    const content = `Note ${index}: the user mentioned ${TOPICS[index % TOPICS.length]} on day ${index % 365}.`;
    return {
      id: `passage-${randomUUID()}`,
      agentId,
      content,
      embeddingModel,
      embedding: Float32Array.from(embedText(content)),
      createdAt: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString(),
    };
  });
}

/**
 * Gives an agent a long life in a few transactions: its history, its archival memory, and the
 * state summarisation would have left — a recursive summary and a window holding only the newest
 * `inContext` messages (the rest stays in the history, searchable).
 */
export async function seedLongLife(
  store: Store,
  agentId: string,
  options: { messages: number; passages: number; inContext: number; embeddingModel: string },
): Promise<void> {
  const stored = await store.commitStep({ agentId, messages: historyMessages(agentId, options.messages) });
  await store.insertPassages(passages(agentId, options.passages, options.embeddingModel));
  const firstInContext = stored.at(-options.inContext);
  if (!firstInContext) return;
  await store.commitStep({
    agentId,
    messages: [],
    contextStartSeq: firstInContext.seq,
    summary: {
      text: 'The user and the agent have talked about many hobbies over the past months.',
      messageCount: stored.length - options.inContext,
      updatedAt: new Date().toISOString(),
    },
  });
}
