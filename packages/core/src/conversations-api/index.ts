export * from './conversation-items.ts';
export * from './item-input.ts';
export * from './openai-conversations.ts';
