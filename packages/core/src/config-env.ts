import { z } from 'zod';
import { DEFAULT_MAX_IMPORT_BYTES } from './agent-file/index.ts';
import { DEFAULT_MAX_INPUT_MESSAGES } from './dispatcher/new-input.ts';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from './dispatcher/user-content.ts';
import { LIMIT_BOUNDS } from './limits/limit-schemas.ts';
import { parseCorsOrigins } from './platform/cors-origins.ts';

/*
 * Every environment variable memgate reads, one line each. The message of each refinement says
 * what the variable must hold: it is what the one-line configuration error prints after
 * "expected". To add a variable: one line here, one field in `MemgateConfig`, one README row.
 */

/** A whole number in [min, max]. */
function integer(min = 0, max = Number.MAX_SAFE_INTEGER) {
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, expected)
    .transform(Number)
    .refine((value) => value >= min && value <= max, expected);
}

/** A URL whose scheme is one of `schemes` (each without `://`). */
function url(schemes: string[], what: string) {
  const expected = `${what} (${schemes.map((scheme) => `${scheme}://`).join(' or ')}…)`;
  return z.string().refine((value) => {
    if (!schemes.some((scheme) => value.toLowerCase().startsWith(`${scheme}://`))) return false;
    return URL.canParse(value);
  }, expected);
}

/** `0` or `1`, off by default. */
function flag() {
  return z
    .enum(['0', '1'], '0 or 1')
    .default('0')
    .transform((value) => value === '1');
}

export const envSchema = z.object({
  PORT: integer(0, 65_535).default(8283),
  HOST: z.string().default('127.0.0.1'),
  MEMGATE_DATA_DIR: z.string().default('./.memgate'),
  DATABASE_URL: url(['postgres', 'postgresql'], 'a PostgreSQL URL').optional(),
  REDIS_URL: url(['redis', 'rediss'], 'a Redis URL').optional(),
  MEMGATE_LLM_BASE_URL: url(['http', 'https'], 'an HTTP URL of an OpenAI-compatible API').optional(),
  MEMGATE_LLM_API_KEY: z.string().optional(),
  MEMGATE_LLM_MODEL: z.string().default('gpt-4o-mini'),
  MEMGATE_EMBEDDING_MODEL: z.string().optional(),
  MEMGATE_PROVIDERS_FILE: z.string().optional(),
  MEMGATE_LLM_TIMEOUT_MS: integer(1).default(120_000),
  MEMGATE_LLM_MAX_RETRIES: integer(0, 10).default(0),
  MEMGATE_PROVIDER_FAILURE_THRESHOLD: integer(1, 1000).default(5),
  MEMGATE_PROVIDER_COOLDOWN_MS: integer(1).default(30_000),
  MEMGATE_ADMIN_TOKEN: z.string().min(16, 'a token of at least 16 characters').optional(),
  MEMGATE_BODY_LIMIT_BYTES: integer(1).optional(),
  MEMGATE_MAX_ATTACHMENT_BYTES: integer(1).default(DEFAULT_MAX_ATTACHMENT_BYTES),
  MEMGATE_MAX_IMPORT_BYTES: integer(1).default(DEFAULT_MAX_IMPORT_BYTES),
  MEMGATE_MAX_STEPS: integer(1).default(10),
  MEMGATE_MAX_INPUT_MESSAGES: integer(1).default(DEFAULT_MAX_INPUT_MESSAGES),
  MEMGATE_PG_POOL_SIZE: integer(1).default(10),
  MEMGATE_PG_LOCK_POOL_SIZE: integer(1).default(32),
  MEMGATE_PG_STATEMENT_TIMEOUT_MS: integer(0).default(30_000),
  MEMGATE_TURN_TIMEOUT_MS: integer(1).default(300_000),
  MEMGATE_STREAM_STALL_MS: integer(1).default(30_000),
  MEMGATE_STREAM_MAX_BUFFER_BYTES: integer(1).default(16 * 1024 * 1024),
  MEMGATE_SHUTDOWN_TIMEOUT_MS: integer(1).default(25_000),
  MEMGATE_MAX_CONNECTIONS: integer(1).optional(),
  MEMGATE_MAX_WS_CONNECTIONS_PER_USER: integer(1).default(32),
  // Limits of users without their own (see docs/limits.md); the bounds are those of the admin API.
  MEMGATE_DEFAULT_RPM: integer(1, LIMIT_BOUNDS.rpm).optional(),
  MEMGATE_DEFAULT_TPM: integer(1, LIMIT_BOUNDS.tpm).optional(),
  MEMGATE_DEFAULT_MAX_CONCURRENT_TURNS: integer(1, LIMIT_BOUNDS.maxConcurrentTurns).optional(),
  MEMGATE_DEFAULT_BUDGET_USD: z
    .string()
    .regex(/^\d+(\.\d+)?$/, `an amount in USD, more than 0 and at most ${LIMIT_BOUNDS.budgetUsd}`)
    .transform(Number)
    .refine(
      (value) => value > 0 && value <= LIMIT_BOUNDS.budgetUsd,
      `an amount in USD, more than 0 and at most ${LIMIT_BOUNDS.budgetUsd}`,
    )
    .optional(),
  MEMGATE_DEFAULT_BUDGET_TOKENS: integer(1, LIMIT_BOUNDS.budgetTokens).optional(),
  MEMGATE_DEFAULT_BUDGET_PERIOD: z.enum(['day', 'month'], 'day or month').default('month'),
  // Read by the runtime's logger and /metrics; checked here so a bad value stops the start like any other.
  LOG_LEVEL: z
    .enum(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'fatal, error, warn, info, debug, trace or silent',
    )
    .optional(),
  MEMGATE_METRICS_TOKEN: z.string().optional(),
  MEMGATE_GRAPHQL_INTROSPECTION: z.enum(['true', 'false'], 'true or false').default('true'),
  MEMGATE_CONSOLE: z.enum(['on', 'off'], 'on or off').default('on'),
  // OpenTelemetry traces go to this OTLP/HTTP collector when either is set; the SDK reads the other OTEL_* itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https'], 'an HTTP URL of an OTLP collector').optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http', 'https'], 'an HTTP URL of an OTLP traces receiver').optional(),
  MEMGATE_TRACE_CONTENT: z
    .enum(['0', '1'], '0 or 1')
    .default('0')
    .transform((value) => value === '1'),
  MEMGATE_SECRET_KEY: z.string().min(32, 'a secret of at least 32 characters').optional(),
  MEMGATE_MCP_ALLOW_PRIVATE: flag(),
  MEMGATE_MCP_STDIO: flag(),
  MEMGATE_MCP_SERVERS_FILE: z.string().optional(),
  MEMGATE_MCP_MAX_SESSIONS_PER_USER: integer(1).default(16),
  MEMGATE_MCP_SESSION_IDLE_MS: integer(1000).default(30 * 60_000),
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

/** The parsed environment. */
export type Env = z.output<typeof envSchema>;

/** Variables read as fallbacks of others (OpenAI's own names), fallback → variable. */
export const ENV_ALIASES: Record<string, keyof Env> = {
  OPENAI_BASE_URL: 'MEMGATE_LLM_BASE_URL',
  OPENAI_API_KEY: 'MEMGATE_LLM_API_KEY',
};
