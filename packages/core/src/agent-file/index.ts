export { BLOCK_LABEL_PATTERN, blockLabel } from './agent-file-blocks.ts';
export * from './agent-file-export.ts';
export * from './agent-file-import.ts';
export type { AgentFileMessageOut } from './agent-file-message-export.ts';
export * from './agent-file-requests.ts';
export * from './agent-file-schema.ts';
export { isMemgateTool } from './agent-file-tools.ts';
export { MEMGATE_METADATA_KEY, type MemgateAgentState, type MemgateState } from './memgate-state.ts';
