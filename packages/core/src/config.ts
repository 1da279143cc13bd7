import { ENV_ALIASES, type Env, envSchema } from './config-env.ts';
import { ConfigError, type ConfigProblem, maskConfigValue } from './config-error.ts';
import { loadProvidersFile, type ProviderConfig } from './config-providers.ts';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from './dispatcher/user-content.ts';
import { type Limits, limitsAnything } from './limits/limit-types.ts';
import { loadMcpServersFile, type McpFileServer } from './mcp/mcp-servers-file.ts';
import type { CorsOrigins } from './platform/cors-origins.ts';

export { envSchema } from './config-env.ts';
export { ConfigError, type ConfigProblem, maskConfigValue } from './config-error.ts';
export {
  DEFAULT_PROVIDER_NAME,
  loadProvidersFile,
  type ProviderConfig,
  type ProviderModelConfig,
  providersFileSchema,
} from './config-providers.ts';

/** memgate's configuration, read from the environment (contract §1). */
export interface MemgateConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL connections: for the store's queries, and for held agent locks (one per running turn). */
  postgresPools: { store: number; locks: number };
  /** PostgreSQL `statement_timeout` of every pooled connection, in ms; 0 turns it off. */
  postgresStatementTimeoutMs: number;
  redisUrl: string | undefined;
  llm: {
    baseURL: string | undefined;
    apiKey: string | undefined;
    model: string;
    /** Embeds archival passages through the upstream's /v1/embeddings when set. */
    embeddingModel: string | undefined;
    timeoutMs: number;
    maxRetries: number;
    /** Each provider's circuit breaker: consecutive retryable failures that open it, and how long it stays open. */
    breaker?: { failureThreshold: number; cooldownMs: number };
  };
  /** The named upstreams of MEMGATE_PROVIDERS_FILE (none without it); models are addressed `name/model`. */
  providers: ProviderConfig[];
  adminToken: string | undefined;
  /** Largest request body (REST, GraphQL) and WebSocket frame; by default room for one largest image. */
  bodyLimitBytes: number;
  /** Largest decoded `data:` image of a user message. */
  maxAttachmentBytes: number;
  /** Largest Agent File an import reads (MEMGATE_MAX_IMPORT_BYTES). */
  maxImportBytes: number;
  maxSteps: number;
  /** Most new input messages (user and tool) one request may bring (MEMGATE_MAX_INPUT_MESSAGES). */
  maxInputMessages: number;
  /** Browser origins allowed by REST and GraphQL CORS and the WebSocket `Origin` check; none by default. */
  corsOrigins: CorsOrigins;
  /** GraphQL answers introspection (`__schema`, `__type`) to callers with a key. */
  graphqlIntrospection: boolean;
  /** The web console is served at `/console` (MEMGATE_CONSOLE=on, the default); off: 404 there. */
  console: boolean;
  /** OpenTelemetry traces: the OTLP/HTTP URL spans are sent to (undefined: tracing off), and whether spans carry content. */
  tracing: { endpoint: string | undefined; content: boolean };
  /** Whole-turn deadline (lock wait, every step and tool), in ms. */
  turnTimeoutMs: number;
  /** Streaming responses (SSE): how long a write may wait for the client to read, and the most they may buffer. */
  stream: { stallMs: number; maxBufferedBytes: number };
  /** How long SIGTERM/SIGINT lets in-flight turns run before the process exits anyway (status 1). */
  shutdownTimeoutMs: number;
  /** Open TCP connections per instance (undefined: no cap); more are answered 503. */
  maxConnections: number | undefined;
  /** Open WebSocket connections (chat channel and graphql-ws together) per user. */
  maxWsConnectionsPerUser: number;
  /** The limits of users without their own (MEMGATE_DEFAULT_*); null when none is set. */
  defaultLimits: Limits | null;
  /** MCP in both directions: servers as tool sources, and memgate's own `/mcp` endpoint. */
  mcp: {
    /** MEMGATE_SECRET_KEY: MCP server headers are encrypted under a key derived from it. */
    secretKey: string | undefined;
    /** MEMGATE_MCP_ALLOW_PRIVATE: users' servers may be on loopback, link-local and private addresses. */
    allowPrivate: boolean;
    /** MEMGATE_MCP_SERVERS_FILE's servers (stdio ones only with MEMGATE_MCP_STDIO=1). */
    fileServers: McpFileServer[];
    /** Open `/mcp` sessions per user (MEMGATE_MCP_MAX_SESSIONS_PER_USER). */
    maxSessionsPerUser: number;
    /** A `/mcp` session unused this long is closed (MEMGATE_MCP_SESSION_IDLE_MS). */
    sessionIdleMs: number;
  };
}

/**
 * The body limit when MEMGATE_BODY_LIMIT_BYTES is not set: 1 MiB for the rest of a request, plus
 * one image of `maxAttachmentBytes` as base64 (4/3 of its size). So an image just under the
 * attachment limit fits in a request, and one just over it reaches the attachment check (413
 * naming the image) instead of the body limit.
 */
export function defaultBodyLimitBytes(maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES): number {
  return 1024 * 1024 + 4 * Math.ceil(maxAttachmentBytes / 3);
}

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

/** Which variable the operator set for `name`: the variable itself, or the fallback it came from. */
function setBy(name: string, env: Record<string, string | undefined>): string {
  if (blank(env[name]) !== undefined) return name;
  return Object.entries(ENV_ALIASES).find(([alias, target]) => target === name && blank(env[alias]))?.[0] ?? name;
}

/** Parses the environment with `envSchema`; blank values count as unset. */
function parseEnv(env: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, blank(value)]));
  for (const [alias, target] of Object.entries(ENV_ALIASES)) cleaned[target] ??= cleaned[alias];
  const parsed = envSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue): ConfigProblem => {
    const name = String(issue.path[0]);
    const variable = setBy(name, env);
    return { variable, value: maskConfigValue(variable, String(cleaned[name] ?? '')), expected: issue.message };
  });
  throw new ConfigError(problems as [ConfigProblem, ...ConfigProblem[]]);
}

/**
 * Parses the environment. Protocol-free: a bad value throws {@link ConfigError} (naming the
 * variable, its masked value and what is expected); entry points print it and exit with code 2.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): MemgateConfig {
  const value = parseEnv(env);
  return {
    port: value.PORT,
    host: value.HOST,
    dataDir: value.MEMGATE_DATA_DIR,
    databaseUrl: value.DATABASE_URL,
    postgresPools: {
      store: value.MEMGATE_PG_POOL_SIZE,
      locks: value.MEMGATE_PG_LOCK_POOL_SIZE,
    },
    redisUrl: value.REDIS_URL,
    llm: {
      baseURL: value.MEMGATE_LLM_BASE_URL,
      apiKey: value.MEMGATE_LLM_API_KEY,
      model: value.MEMGATE_LLM_MODEL,
      embeddingModel: value.MEMGATE_EMBEDDING_MODEL,
      timeoutMs: value.MEMGATE_LLM_TIMEOUT_MS,
      maxRetries: value.MEMGATE_LLM_MAX_RETRIES,
      breaker: {
        failureThreshold: value.MEMGATE_PROVIDER_FAILURE_THRESHOLD,
        cooldownMs: value.MEMGATE_PROVIDER_COOLDOWN_MS,
      },
    },
    // After the variables: a file whose keys are missing is reported once the rest is known good.
    providers: value.MEMGATE_PROVIDERS_FILE ? loadProvidersFile(value.MEMGATE_PROVIDERS_FILE, env) : [],
    adminToken: value.MEMGATE_ADMIN_TOKEN,
    bodyLimitBytes: value.MEMGATE_BODY_LIMIT_BYTES ?? defaultBodyLimitBytes(value.MEMGATE_MAX_ATTACHMENT_BYTES),
    maxAttachmentBytes: value.MEMGATE_MAX_ATTACHMENT_BYTES,
    maxImportBytes: value.MEMGATE_MAX_IMPORT_BYTES,
    maxSteps: value.MEMGATE_MAX_STEPS,
    maxInputMessages: value.MEMGATE_MAX_INPUT_MESSAGES,
    corsOrigins: value.MEMGATE_CORS_ORIGINS,
    graphqlIntrospection: value.MEMGATE_GRAPHQL_INTROSPECTION === 'true',
    console: value.MEMGATE_CONSOLE === 'on',
    tracing: {
      endpoint: value.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? otlpTracesUrl(value.OTEL_EXPORTER_OTLP_ENDPOINT),
      content: value.MEMGATE_TRACE_CONTENT,
    },
    postgresStatementTimeoutMs: value.MEMGATE_PG_STATEMENT_TIMEOUT_MS,
    turnTimeoutMs: value.MEMGATE_TURN_TIMEOUT_MS,
    stream: { stallMs: value.MEMGATE_STREAM_STALL_MS, maxBufferedBytes: value.MEMGATE_STREAM_MAX_BUFFER_BYTES },
    shutdownTimeoutMs: value.MEMGATE_SHUTDOWN_TIMEOUT_MS,
    maxConnections: value.MEMGATE_MAX_CONNECTIONS,
    maxWsConnectionsPerUser: value.MEMGATE_MAX_WS_CONNECTIONS_PER_USER,
    defaultLimits: defaultLimitsOf(value, env),
    mcp: {
      secretKey: value.MEMGATE_SECRET_KEY,
      allowPrivate: value.MEMGATE_MCP_ALLOW_PRIVATE,
      fileServers: value.MEMGATE_MCP_SERVERS_FILE
        ? loadMcpServersFile(value.MEMGATE_MCP_SERVERS_FILE, value.MEMGATE_MCP_STDIO)
        : [],
      maxSessionsPerUser: value.MEMGATE_MCP_MAX_SESSIONS_PER_USER,
      sessionIdleMs: value.MEMGATE_MCP_SESSION_IDLE_MS,
    },
  };
}

/** The default limits of the environment; a budget in both USD and tokens is refused. */
function defaultLimitsOf(value: Env, env: Record<string, string | undefined>): Limits | null {
  const usd = value.MEMGATE_DEFAULT_BUDGET_USD;
  const tokens = value.MEMGATE_DEFAULT_BUDGET_TOKENS;
  if (usd !== undefined && tokens !== undefined) {
    const variable = 'MEMGATE_DEFAULT_BUDGET_TOKENS';
    throw new ConfigError([
      {
        variable,
        value: maskConfigValue(variable, String(env[variable] ?? '')),
        expected: 'unset when MEMGATE_DEFAULT_BUDGET_USD is set (a budget is in USD or in tokens, not both)',
      },
    ]);
  }
  const limits: Limits = {
    rpm: value.MEMGATE_DEFAULT_RPM ?? null,
    tpm: value.MEMGATE_DEFAULT_TPM ?? null,
    maxConcurrentTurns: value.MEMGATE_DEFAULT_MAX_CONCURRENT_TURNS ?? null,
    budget:
      usd !== undefined || tokens !== undefined
        ? {
            ...(usd !== undefined && { usd }),
            ...(tokens !== undefined && { tokens }),
            period: value.MEMGATE_DEFAULT_BUDGET_PERIOD,
          }
        : null,
    exempt: false,
  };
  return limitsAnything(limits) ? limits : null;
}

/** The traces URL under a base OTLP endpoint, as the OpenTelemetry SDK derives it (`…/v1/traces`). */
function otlpTracesUrl(base: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  return base.endsWith('/') ? `${base}v1/traces` : `${base}/v1/traces`;
}
