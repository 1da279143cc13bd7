import { agentToolDefinitions, BASE_AGENT_TOOLS } from './agent/base-tools.ts';
import { McpToolSource } from './agent/mcp-tools.ts';
import { TurnRunner } from './agent/turn-runner.ts';
import type { AgentLock } from './concurrency/agent-lock.ts';
import { InProcessAgentLock } from './concurrency/in-process-lock.ts';
import type { MemgateConfig } from './config.ts';
import { DEFAULT_PROVIDER_NAME } from './config-providers.ts';
import { OpenAIConversations } from './conversations-api/openai-conversations.ts';
import { ChatDispatcher } from './dispatcher/chat-dispatcher.ts';
import { DEFAULT_TURN_TIMEOUT_MS } from './dispatcher/turn-deadline.ts';
import type { Principal } from './domain/types.ts';
import { type EventBus, InProcessEventBus } from './events/event-bus.ts';
import { InProcessLimitCounters, type LimitCounters } from './limits/limit-counters.ts';
import { LimitService } from './limits/limit-service.ts';
import type { Limits } from './limits/limit-types.ts';
import { DEFAULT_BREAKER } from './llm/circuit-breaker.ts';
import { GuardedProvider } from './llm/guarded-provider.ts';
import { OfflineProvider } from './llm/offline-provider.ts';
import { OpenAiCompatibleProvider } from './llm/openai-provider.ts';
import type { LlmProvider } from './llm/provider.ts';
import { ProviderRegistry } from './llm/provider-registry.ts';
import { AgentToolsService } from './mcp/agent-tools-service.ts';
import { McpSecrets } from './mcp/mcp-secrets.ts';
import { McpServerService } from './mcp/mcp-server-service.ts';
import type { McpFileServer } from './mcp/mcp-servers-file.ts';
import type { McpClientPool } from './mcp/mcp-types.ts';
import { ArchivalMemory } from './memory/archival-memory.ts';
import { type ProvidersReport, UpstreamMonitor, type UpstreamReport } from './platform/upstream-monitor.ts';
import { ResponseService } from './responses/response-service.ts';
import { AdminService } from './services/admin-service.ts';
import { AgentFileService } from './services/agent-file-service.ts';
import { AgentService } from './services/agent-service.ts';
import { BlockService } from './services/block-service.ts';
import { ConversationService } from './services/conversation-service.ts';
import { MemoryService } from './services/memory-service.ts';
import { ModelCatalog, type ModelEntry, type ModelList } from './services/model-catalog.ts';
import { UsageService } from './services/usage-service.ts';
import type { Store } from './store/store.ts';
import type { Telemetry } from './telemetry/telemetry.ts';

export interface MemgateOptions {
  store: Store;
  provider: LlmProvider;
  /** Defaults to an in-process FIFO lock (one instance). */
  lock?: AgentLock;
  /** Defaults to an in-process bus (one instance). */
  events?: EventBus;
  adminToken?: string;
  /** Model of new agents; defaults to the provider's first model. */
  defaultModel?: string;
  /** Upstream calls per turn; default 10. */
  maxSteps?: number;
  /** Embeds archival passages with this upstream model (MEMGATE_EMBEDDING_MODEL); text search only without. */
  embeddingModel?: string;
  /** Largest decoded `data:` image a user message may carry (MEMGATE_MAX_ATTACHMENT_BYTES); default 5 MiB. */
  maxAttachmentBytes?: number;
  /** Largest Agent File an import reads (MEMGATE_MAX_IMPORT_BYTES); default 50 MiB. */
  maxImportBytes?: number;
  /** Most new input messages per request (MEMGATE_MAX_INPUT_MESSAGES); default 256. */
  maxInputMessages?: number;
  /** Where turns report their steps, upstream calls, tools, commits and lock waits (logs, metrics, traces). */
  telemetry?: Telemetry;
  /** Whole-turn deadline (MEMGATE_TURN_TIMEOUT_MS); default 5 minutes. */
  turnTimeoutMs?: number;
  /** Counters of rpm, tpm and concurrency; default in-process (one instance). Redis shares them. */
  limitCounters?: LimitCounters;
  /** Limits of users without their own (MEMGATE_DEFAULT_*); default none. */
  defaultLimits?: Limits | null;
  /** MCP servers as tool sources. */
  mcp?: MemgateMcpOptions;
}

/** How the core reaches MCP servers and keeps their secrets. */
export interface MemgateMcpOptions {
  /** The MCP client (`@memgate/mcp`); without one, listing a server's tools is refused. */
  pool?: McpClientPool;
  /** MEMGATE_SECRET_KEY: headers of MCP servers are encrypted under a key derived from it. */
  secretKey?: string;
  /** MEMGATE_MCP_ALLOW_PRIVATE: users' servers may be on loopback, link-local and private addresses. */
  allowPrivate?: boolean;
  /** MEMGATE_MCP_SERVERS_FILE's servers. */
  fileServers?: McpFileServer[];
  /** How long a server's tool list is cached; default 5 minutes. */
  toolsCacheMs?: number;
}

/** The protocol-agnostic core that every app adapts: one instance per process. */
export interface Memgate {
  readonly store: Store;
  readonly provider: LlmProvider;
  readonly events: EventBus;
  readonly chat: ChatDispatcher;
  readonly agents: AgentService;
  /** An agent's conversations: its threads, each with its window; memory is shared. */
  readonly conversations: ConversationService;
  /** OpenAI's Responses API over `chat`: stored responses, continued by `previous_response_id`. */
  readonly responses: ResponseService;
  /** OpenAI's Conversations API over `conversations`: the same conversations, their messages as items. */
  readonly openaiConversations: OpenAIConversations;
  /** Archival memory and the context report. */
  readonly memory: MemoryService;
  /** Memory blocks as their own entities: shared between agents, with their history. */
  readonly blocks: BlockService;
  /** Letta Agent Files (.af): export and import. */
  readonly agentFiles: AgentFileService;
  readonly admin: AdminService;
  /** What the upstream calls cost: the caller's, or (admin) every user's. */
  readonly usage: UsageService;
  /** Rate, concurrency and budget limits per user and key: set by the admin, checked before every turn. */
  readonly limits: LimitService;
  /** MCP servers as tool sources: the user's own and the operator's, with their live tool lists. */
  readonly mcpServers: McpServerService;
  /** The MCP tools attached to each agent, which its turns offer the model. */
  readonly agentTools: AgentToolsService;
  /** The caller's agents and the upstream models, in OpenAI's list shape. */
  models(principal: Principal): Promise<ModelList>;
  /** One model by agent id or upstream model id; NOT_FOUND (`model_not_found`) for any other. */
  model(principal: Principal, id: string): Promise<ModelEntry>;
  /** Throws when the store cannot serve. */
  ready(): Promise<void>;
  /** Whether the upstream answers, probed at most once every 10 s (`offline` for the built-in model). */
  upstream(): Promise<UpstreamReport>;
  /** `upstream()` plus, with several providers, each one's reachability by name (`/readyz`'s `providers`). */
  upstreams(): Promise<{ upstream: UpstreamReport; providers?: ProvidersReport }>;
  close(): Promise<void>;
}

export function createMemgate(options: MemgateOptions): Memgate {
  const { store, provider } = options;
  const events = options.events ?? new InProcessEventBus();
  const lock = options.lock ?? new InProcessAgentLock();
  const archival = new ArchivalMemory({ store, provider, embeddingModel: options.embeddingModel });
  const tools = BASE_AGENT_TOOLS;
  const runner = new TurnRunner({
    store,
    provider,
    events,
    maxSteps: options.maxSteps ?? 10,
    tools,
    archival,
    telemetry: options.telemetry,
  });
  const defaultModel = options.defaultModel ?? provider.models[0] ?? 'memgate-offline';
  const agents = new AgentService(store, defaultModel, events, provider);
  const conversations = new ConversationService(store, agents, lock);
  const catalog = new ModelCatalog(store, provider);
  const upstream = new UpstreamMonitor(provider);
  const counters = options.limitCounters ?? new InProcessLimitCounters();
  const turnTimeoutMs = options.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS;
  const limits = new LimitService({
    store,
    counters,
    events,
    defaults: options.defaultLimits ?? null,
    // A turn cannot outlive its deadline: a slot whose instance died is free a minute after that.
    leaseMs: turnTimeoutMs + 60_000,
  });
  const mcpServers = new McpServerService({
    store,
    pool: options.mcp?.pool,
    secrets: new McpSecrets(options.mcp?.secretKey),
    allowPrivate: options.mcp?.allowPrivate,
    fileServers: options.mcp?.fileServers,
    toolsCacheMs: options.mcp?.toolsCacheMs,
  });
  const mcpTools = new McpToolSource(mcpServers);
  const chat = new ChatDispatcher({
    mcpTools,
    limits,
    store,
    conversations,
    provider,
    lock,
    runner,
    maxAttachmentBytes: options.maxAttachmentBytes,
    maxInputMessages: options.maxInputMessages,
    telemetry: options.telemetry,
    turnTimeoutMs: options.turnTimeoutMs,
  });
  agents.compactor = (principal, agentId, contextWindow) => chat.compact(principal, agentId, contextWindow);
  return {
    store,
    provider,
    events,
    chat,
    agents,
    conversations,
    responses: new ResponseService({ store, chat, conversations }),
    openaiConversations: new OpenAIConversations(store, conversations, lock, options.maxAttachmentBytes),
    memory: new MemoryService({ store, agents, archival, tools: agentToolDefinitions(tools) }),
    blocks: new BlockService(store, events),
    agentFiles: new AgentFileService({
      store,
      agents,
      provider,
      archival,
      defaultModel,
      maxImportBytes: options.maxImportBytes,
    }),
    admin: new AdminService(store, options.adminToken, events),
    usage: new UsageService(store),
    limits,
    mcpServers,
    agentTools: new AgentToolsService(store, mcpServers, mcpTools),
    models: (principal) => catalog.list(principal),
    model: (principal, id) => catalog.get(principal, id),
    ready: () => store.ping(),
    upstream: () => upstream.status(),
    upstreams: () => upstream.detail(),
    async close() {
      await counters.close();
      await options.mcp?.pool?.close();
      await events.close();
      await store.close();
    },
  };
}

/**
 * The upstreams named by the configuration: MEMGATE_LLM_* alone (the offline demo model when it
 * names none), or, with a providers file, a {@link ProviderRegistry} of the file's providers plus
 * `default` when MEMGATE_LLM_BASE_URL is set. Timeouts and retries of MEMGATE_LLM_* apply to all.
 */
export function createProvider(llm: MemgateConfig['llm'], providers: MemgateConfig['providers'] = []): LlmProvider {
  const breaker = llm.breaker ?? DEFAULT_BREAKER;
  const upstream = llm.baseURL
    ? new OpenAiCompatibleProvider({
        baseURL: llm.baseURL,
        apiKey: llm.apiKey,
        models: [llm.model],
        timeoutMs: llm.timeoutMs,
        maxRetries: llm.maxRetries,
      })
    : undefined;
  // The breaker sits around the upstream client, after its own retries (MEMGATE_LLM_MAX_RETRIES).
  const defaultProvider = upstream && new GuardedProvider(DEFAULT_PROVIDER_NAME, upstream, breaker);
  if (providers.length === 0) return defaultProvider ?? new OfflineProvider();
  return new ProviderRegistry({
    defaultProvider,
    breaker,
    providers: providers.map((provider) => ({
      name: provider.name,
      models: provider.models,
      provider: new OpenAiCompatibleProvider({
        baseURL: provider.baseURL,
        apiKey: provider.apiKey,
        headers: provider.headers,
        models: provider.models.map((model) => model.id),
        timeoutMs: llm.timeoutMs,
        maxRetries: llm.maxRetries,
      }),
    })),
  });
}
