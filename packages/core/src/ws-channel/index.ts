export { MAX_SUBSCRIPTIONS_PER_CONNECTION } from './agent-subscriptions.ts';
export * from './channel-transport.ts';
export * from './chat-channel-session.ts';
export * from './client-frames.ts';
export * from './completion-assembler.ts';
export * from './server-frames.ts';
export * from './streaming-request.ts';
