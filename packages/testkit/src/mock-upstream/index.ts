export { answerWithFault, CHAOS_LEAKED_ADDRESS, refusedUpstreamUrl, UPSTREAM_FAULTS } from './chaos.ts';
export { countPromptTokens, countTokens, messageText } from './completion.ts';
export { DEFAULT_EMBEDDING_DIMENSIONS, embedText } from './embeddings.ts';
export { echoResponder, type SendMessageOptions, sendMessage } from './responders.ts';
export { startMockUpstream } from './server.ts';
export { DEFAULT_CHUNK_SIZE } from './streaming.ts';
export type {
  ChatRequestBody,
  ChatRequestMessage,
  EmbeddingRequestBody,
  MockUpstream,
  MockUpstreamOptions,
  RecordedRequest,
  Responder,
  ScriptedError,
  ScriptedResponse,
  ScriptedToolCall,
  UpstreamFault,
  UsageCounts,
} from './types.ts';
