import { type AgentTool, BASE_AGENT_TOOLS } from '../agent/base-tools.ts';
import type { Agent, ContextSummary, Conversation, Passage, StoredMessage } from '../domain/types.ts';
import { isDefaultConversation } from '../domain/types.ts';
import { type AgentFileMessageOut, exportMessage } from './agent-file-message-export.ts';
import { exportToolEntries } from './agent-file-tools.ts';
import { MEMGATE_METADATA_KEY, type MemgateAgentState, writeMemgateState } from './memgate-state.ts';

/** Which messages an export holds: the whole history, the context window only, or none. */
export type AgentFileMessages = 'all' | 'window' | 'none';

/** What `exportAgentFile` reads: one agent and what it holds, as the stores return them. */
export interface AgentFileExportInput {
  agent: Agent;
  /** Its history, oldest first; hidden (rewound) messages are left out of the file. */
  messages: Pick<
    StoredMessage,
    'id' | 'role' | 'content' | 'toolCalls' | 'toolCallId' | 'name' | 'createdAt' | 'attachments' | 'hidden'
  >[];
  /** Index in `messages` of the first message in the context window (`messages.length`: none is). */
  windowStart: number;
  summary: ContextSummary | null;
  passages: Passage[];
  /** The agent's conversations; its default one is its messages, the others are listed in `metadata.memgate`. */
  conversations: Conversation[];
  /** Default `all`. */
  include?: AgentFileMessages;
  /** The file's `created_at`; default now. */
  now?: Date;
  /**
   * The embedding model and its dimensions for the file's `embedding_config`, which Letta needs to
   * create an agent (it re-embeds with it). Default: the passages' model, else Letta's default,
   * OpenAI's text-embedding-3-small, with 1536 dimensions.
   */
  embedding?: { model: string; dimensions: number };
  /** The agent's built-in tools, exported as tool entries; default memgate's. */
  tools?: ReadonlyMap<string, AgentTool>;
}

/** An Agent File as memgate writes it: Letta's v2 multi-entity shape. */
export interface AgentFileExport {
  agents: Record<string, unknown>[];
  groups: [];
  blocks: Record<string, unknown>[];
  files: [];
  sources: [];
  tools: Record<string, unknown>[];
  mcp_servers: [];
  metadata: Record<string, string>;
  created_at: string;
}

/**
 * Writes an agent as an Agent File (v2) that Letta can read back: the agent as a `memgpt_agent`
 * (memgate's tools are MemGPT's: send_message, core memory, archival and conversation search), its
 * system prompt and LLM config, its blocks, its messages with tool calls and which are in the
 * window, its built-in tools as schemas without code. What Letta has no field for (summary, window
 * start, passages without vectors, conversations) goes under `metadata.memgate`. Built only from
 * named fields, so nothing else (an upstream address, a key) can reach the file.
 */
export function exportAgentFile(input: AgentFileExportInput): AgentFileExport {
  const { agent } = input;
  const include = input.include ?? 'all';
  const fileAgentId = 'agent-0';
  const visible = input.messages.filter((message) => !message.hidden);
  const windowIds = new Set(
    input.messages.slice(input.windowStart).flatMap((message) => (message.hidden ? [] : [message.id])),
  );
  const exported = include === 'all' ? visible : include === 'window' ? visible.filter((m) => windowIds.has(m.id)) : [];
  const model = agent.model;
  const systemMessage = exportMessage(
    {
      role: 'system',
      content: agent.system,
      toolCalls: null,
      toolCallId: null,
      name: null,
      createdAt: agent.createdAt,
    },
    { id: 'message-0', agentId: fileAgentId, model },
  );
  const messages: AgentFileMessageOut[] = [systemMessage];
  const inContext = [systemMessage.id];
  exported.forEach((message, index) => {
    const out = exportMessage(message, { id: `message-${index + 1}`, agentId: fileAgentId, model });
    messages.push(out);
    if (windowIds.has(message.id)) inContext.push(out.id);
  });
  const blocks = agent.memory.map((block, index) => ({
    id: `block-${index}`,
    label: block.label,
    value: block.value,
    limit: block.limit,
    description: block.description ?? null,
    read_only: block.readOnly ?? false,
    is_template: false,
    template_name: null,
    preserve_on_migration: false,
    metadata: {},
  }));
  const tools = exportToolEntries(input.tools ?? BASE_AGENT_TOOLS);
  const state: MemgateAgentState = {
    summary: input.summary
      ? { text: input.summary.text, message_count: input.summary.messageCount, updated_at: input.summary.updatedAt }
      : null,
    window_start: visible.filter((message) => !windowIds.has(message.id)).length,
    settings: {
      summary_model: input.agent.settings.summaryModel,
      embedding_model: input.agent.settings.embeddingModel,
      fallback_models: input.agent.settings.fallbackModels,
      max_steps_per_turn: input.agent.settings.maxStepsPerTurn,
      max_tokens_per_turn: input.agent.settings.maxTokensPerTurn,
    },
    passages: input.passages.map((passage) => ({
      content: passage.content,
      embedding_model: passage.embeddingModel,
      created_at: passage.createdAt,
    })),
    conversations: input.conversations
      .filter((conversation) => !isDefaultConversation(conversation))
      .map((conversation) => ({
        id: conversation.id,
        name: conversation.name,
        metadata: conversation.metadata,
        created_at: conversation.createdAt,
        updated_at: conversation.updatedAt,
      })),
  };
  return {
    agents: [
      {
        id: fileAgentId,
        name: agent.name,
        agent_type: 'memgpt_agent',
        system: agent.system,
        description: null,
        tags: [...agent.tags],
        metadata: agent.metadata ? { ...agent.metadata } : null,
        llm_config: {
          model,
          model_endpoint_type: 'openai',
          // Never the upstream's address: it may carry credentials, and it is this server's, not the agent's.
          model_endpoint: null,
          context_window: agent.contextWindow,
          put_inner_thoughts_in_kwargs: false,
        },
        embedding_config: embeddingConfig(input),
        memory_blocks: [],
        tools: [],
        tool_ids: tools.map((tool) => tool.id),
        source_ids: [],
        block_ids: blocks.map((block) => block.id),
        tool_rules: [],
        include_base_tools: false,
        include_multi_agent_tools: false,
        include_base_tool_rules: false,
        include_default_source: false,
        tool_exec_environment_variables: {},
        message_buffer_autoclear: false,
        enable_sleeptime: false,
        timezone: 'UTC',
        messages,
        in_context_message_ids: inContext,
        files_agents: [],
        group_ids: [],
      },
    ],
    groups: [],
    blocks,
    files: [],
    sources: [],
    tools,
    mcp_servers: [],
    metadata: { [MEMGATE_METADATA_KEY]: writeMemgateState({ version: 1, agents: { [fileAgentId]: state } }) },
    created_at: (input.now ?? new Date()).toISOString(),
  };
}

/** Letta's default embedding (its `DEFAULT_EMBEDDING_CHUNK_SIZE` too), when memgate names none. */
const LETTA_DEFAULT_EMBEDDING = { model: 'text-embedding-3-small', dimensions: 1536 };

function embeddingConfig(input: AgentFileExportInput): Record<string, unknown> {
  const passageModel = input.passages.find((passage) => passage.embeddingModel)?.embeddingModel;
  const embedding =
    input.embedding ?? (passageModel ? { ...LETTA_DEFAULT_EMBEDDING, model: passageModel } : LETTA_DEFAULT_EMBEDDING);
  return {
    embedding_endpoint_type: 'openai',
    // Never the embedding server's address, as for the LLM.
    embedding_endpoint: null,
    embedding_model: embedding.model,
    embedding_dim: embedding.dimensions,
    embedding_chunk_size: 300,
  };
}
