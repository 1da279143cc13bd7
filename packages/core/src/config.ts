import { z } from 'zod';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from './dispatcher/user-content.ts';
import { MemgateError } from './errors/memgate-error.ts';
import { type CorsOrigins, parseCorsOrigins } from './platform/cors-origins.ts';

const integer = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const configSchema = z.object({
  PORT: integer(8283),
  HOST: z.string().default('127.0.0.1'),
  MEMGATE_DATA_DIR: z.string().default('./.memgate'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  MEMGATE_LLM_BASE_URL: z.string().url().optional(),
  MEMGATE_LLM_API_KEY: z.string().optional(),
  MEMGATE_LLM_MODEL: z.string().default('gpt-4o-mini'),
  MEMGATE_EMBEDDING_MODEL: z.string().optional(),
  MEMGATE_LLM_TIMEOUT_MS: integer(120_000),
  MEMGATE_LLM_MAX_RETRIES: integer(0),
  MEMGATE_ADMIN_TOKEN: z.string().min(16, 'MEMGATE_ADMIN_TOKEN must be at least 16 characters.').optional(),
  MEMGATE_BODY_LIMIT_BYTES: z.coerce.number().int().min(0).optional(),
  MEMGATE_MAX_ATTACHMENT_BYTES: integer(DEFAULT_MAX_ATTACHMENT_BYTES),
  MEMGATE_MAX_STEPS: integer(10),
  MEMGATE_PG_POOL_SIZE: integer(10),
  MEMGATE_PG_LOCK_POOL_SIZE: integer(32),
  MEMGATE_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseCorsOrigins(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

/** memgate's configuration, read from the environment (contract §1). */
export interface MemgateConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL connections: for the store's queries, and for held agent locks (one per running turn). */
  postgresPools: { store: number; locks: number };
  redisUrl: string | undefined;
  llm: {
    baseURL: string | undefined;
    apiKey: string | undefined;
    model: string;
    /** Embeds archival passages through the upstream's /v1/embeddings when set. */
    embeddingModel: string | undefined;
    timeoutMs: number;
    maxRetries: number;
  };
  adminToken: string | undefined;
  /** Largest request body (REST, GraphQL) and WebSocket frame; by default room for one largest image. */
  bodyLimitBytes: number;
  /** Largest decoded `data:` image of a user message. */
  maxAttachmentBytes: number;
  maxSteps: number;
  /** Browser origins allowed by REST and GraphQL CORS and the WebSocket `Origin` check; none by default. */
  corsOrigins: CorsOrigins;
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

/** Parses the environment; a bad value stops the start with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): MemgateConfig {
  const cleaned = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, blank(value)]));
  cleaned['MEMGATE_LLM_BASE_URL'] ??= cleaned['OPENAI_BASE_URL'];
  cleaned['MEMGATE_LLM_API_KEY'] ??= cleaned['OPENAI_API_KEY'];
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new MemgateError('INTERNAL_SERVER_ERROR', `Invalid configuration: ${problems}`);
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    host: value.HOST,
    dataDir: value.MEMGATE_DATA_DIR,
    databaseUrl: value.DATABASE_URL,
    postgresPools: {
      store: Math.max(1, value.MEMGATE_PG_POOL_SIZE),
      locks: Math.max(1, value.MEMGATE_PG_LOCK_POOL_SIZE),
    },
    redisUrl: value.REDIS_URL,
    llm: {
      baseURL: value.MEMGATE_LLM_BASE_URL,
      apiKey: value.MEMGATE_LLM_API_KEY,
      model: value.MEMGATE_LLM_MODEL,
      embeddingModel: value.MEMGATE_EMBEDDING_MODEL,
      timeoutMs: value.MEMGATE_LLM_TIMEOUT_MS,
      maxRetries: value.MEMGATE_LLM_MAX_RETRIES,
    },
    adminToken: value.MEMGATE_ADMIN_TOKEN,
    bodyLimitBytes: value.MEMGATE_BODY_LIMIT_BYTES ?? defaultBodyLimitBytes(value.MEMGATE_MAX_ATTACHMENT_BYTES),
    maxAttachmentBytes: value.MEMGATE_MAX_ATTACHMENT_BYTES,
    maxSteps: Math.max(1, value.MEMGATE_MAX_STEPS),
    corsOrigins: value.MEMGATE_CORS_ORIGINS,
  };
}
