import {
  createMemgate,
  type Limits,
  type Memgate,
  type MemgateMcpOptions,
  OpenAiCompatibleProvider,
  type Store,
  type Telemetry,
} from '@memgate/core';

export interface TestMemgate {
  memgate: Memgate;
  /** API key of the user `alice`, who owns the test agents. */
  apiKey: string;
  /** API key of the user `bob`, who must never see alice's agents. */
  otherApiKey: string;
  /** A read-only (scope `read`) key of `alice`: reads her agents, gets 403 on turns and writes. */
  readApiKey: string;
}

export interface TestMemgateOptions {
  /** A real store on a real database file (migrated here). */
  store: Store;
  /** The mock upstream's base URL (ends in /v1). */
  upstreamUrl: string;
  /** Upstream call timeout; short in tests that exercise 504. */
  timeoutMs?: number;
  adminToken?: string;
  /** Embeds archival passages through the mock's /v1/embeddings with this model. */
  embeddingModel?: string;
  /** Upstream model names the server is configured for (default `['mock-model']`). */
  models?: string[];
  /** MEMGATE_MAX_ATTACHMENT_BYTES; the core's default (5 MiB) when absent. */
  maxAttachmentBytes?: number;
  /** MEMGATE_MAX_IMPORT_BYTES; the core's default (50 MiB) when absent. */
  maxImportBytes?: number;
  /** MEMGATE_MAX_INPUT_MESSAGES; the core's default (256) when absent. */
  maxInputMessages?: number;
  /** Reopening a database that already has the two users: their keys, instead of creating them. */
  keys?: { apiKey: string; otherApiKey: string };
  /** Where turns report (logs, metrics); nowhere by default. */
  telemetry?: Telemetry;
  /** Whole-turn deadline (MEMGATE_TURN_TIMEOUT_MS); the core's default (5 min) when absent. */
  turnTimeoutMs?: number;
  /** Limits of users without their own (MEMGATE_DEFAULT_*). */
  defaultLimits?: Limits | null;
  /** MCP servers as tool sources: the client pool (`@memgate/mcp`), secret key, private addresses. */
  mcp?: MemgateMcpOptions;
}

/**
 * A core wired to a real store and the mock upstream through the real OpenAI-compatible provider
 * (no mocks of memgate's own code), with two users and their keys.
 */
export async function createTestMemgate(options: TestMemgateOptions): Promise<TestMemgate> {
  await options.store.migrate();
  const provider = new OpenAiCompatibleProvider({
    baseURL: options.upstreamUrl,
    apiKey: 'upstream-test-key',
    models: options.models ?? ['mock-model'],
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: 0,
  });
  const memgate = createMemgate({
    store: options.store,
    provider,
    adminToken: options.adminToken,
    embeddingModel: options.embeddingModel,
    maxAttachmentBytes: options.maxAttachmentBytes,
    maxImportBytes: options.maxImportBytes,
    maxInputMessages: options.maxInputMessages,
    telemetry: options.telemetry,
    turnTimeoutMs: options.turnTimeoutMs,
    defaultLimits: options.defaultLimits,
    mcp: options.mcp,
  });
  const readKeyOf = async (user: string) => (await memgate.admin.createApiKey(user, { scope: 'read' })).key;
  if (options.keys) return { memgate, ...options.keys, readApiKey: await readKeyOf('alice') };
  const alice = await memgate.admin.createUser({ name: 'alice' });
  const bob = await memgate.admin.createUser({ name: 'bob' });
  return {
    memgate,
    apiKey: (await memgate.admin.createApiKey(alice.id)).key,
    otherApiKey: (await memgate.admin.createApiKey(bob.id)).key,
    readApiKey: await readKeyOf(alice.id),
  };
}
