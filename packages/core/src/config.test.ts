import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskConfigValue } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8283,
      host: '127.0.0.1',
      dataDir: './.memgate',
      databaseUrl: undefined,
      postgresPools: { store: 10, locks: 32 },
      llm: { baseURL: undefined, model: 'gpt-4o-mini', timeoutMs: 120_000, maxRetries: 0 },
      // 1 MiB plus a 5 MiB image as base64.
      bodyLimitBytes: 1024 * 1024 + 6_990_508,
      maxAttachmentBytes: 5 * 1024 * 1024,
      maxSteps: 10,
      maxInputMessages: 256,
    });
    expect(loadConfig({ MEMGATE_MAX_INPUT_MESSAGES: '8' }).maxInputMessages).toBe(8);
    expect(() => loadConfig({ MEMGATE_MAX_INPUT_MESSAGES: '0' })).toThrow(ConfigError);
  });

  it('sizes the default body limit for the attachment limit; an explicit body limit wins', () => {
    expect(loadConfig({ MEMGATE_MAX_ATTACHMENT_BYTES: '3000' }).bodyLimitBytes).toBe(1024 * 1024 + 4000);
    const explicit = loadConfig({ MEMGATE_MAX_ATTACHMENT_BYTES: '3000', MEMGATE_BODY_LIMIT_BYTES: '2048' });
    expect(explicit).toMatchObject({ bodyLimitBytes: 2048, maxAttachmentBytes: 3000 });
  });

  it('reads every variable, with OPENAI_* as fallbacks and blank values as unset', () => {
    const config = loadConfig({
      PORT: '0',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      OPENAI_API_KEY: 'sk-x',
      DATABASE_URL: ' ',
      MEMGATE_PG_POOL_SIZE: '4',
      MEMGATE_PG_LOCK_POOL_SIZE: '64',
    });
    expect(config.port).toBe(0);
    expect(config.llm).toMatchObject({ baseURL: 'http://localhost:11434/v1', apiKey: 'sk-x' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.postgresPools).toEqual({ store: 4, locks: 64 });
  });

  it('stops with a message naming a bad variable', () => {
    expect(() => loadConfig({ MEMGATE_PG_POOL_SIZE: 'many' })).toThrow(/MEMGATE_PG_POOL_SIZE/);
    expect(() => loadConfig({ MEMGATE_LLM_BASE_URL: 'not a url' })).toThrow(/MEMGATE_LLM_BASE_URL/);
  });

  /** The ConfigError `loadConfig(env)` throws. */
  function problem(env: Record<string, string>): ConfigError {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  }

  it.each([
    ['DATABASE_URL', 'mysql://root@db/app', 'a PostgreSQL URL (postgres:// or postgresql://…)'],
    ['DATABASE_URL', 'db.internal:5432', 'a PostgreSQL URL (postgres:// or postgresql://…)'],
    ['REDIS_URL', 'http://cache:6379', 'a Redis URL (redis:// or rediss://…)'],
    ['MEMGATE_LLM_BASE_URL', 'localhost:11434/v1', 'an HTTP URL of an OpenAI-compatible API (http:// or https://…)'],
    ['PORT', '70000', 'a whole number from 0 to 65535'],
    ['PORT', '-1', 'a whole number from 0 to 65535'],
    ['MEMGATE_LLM_TIMEOUT_MS', '30s', 'a whole number ≥ 1'],
    ['MEMGATE_MAX_STEPS', '0', 'a whole number ≥ 1'],
  ])('refuses %s=%s, saying what is expected', (variable, value, expected) => {
    const error = problem({ [variable]: value });
    expect(error).toMatchObject({ variable, value, expected });
    expect(error.message).toBe(`invalid configuration: ${variable}=${JSON.stringify(value)}: expected ${expected}`);
  });

  it('accepts both PostgreSQL schemes, both Redis schemes and both HTTP schemes', () => {
    for (const scheme of ['postgres', 'postgresql']) {
      expect(loadConfig({ DATABASE_URL: `${scheme}://u:p@db:5432/app` }).databaseUrl).toBe(
        `${scheme}://u:p@db:5432/app`,
      );
    }
    for (const scheme of ['redis', 'rediss'])
      expect(loadConfig({ REDIS_URL: `${scheme}://cache` }).redisUrl).toBeTruthy();
    for (const scheme of ['http', 'https']) {
      expect(loadConfig({ MEMGATE_LLM_BASE_URL: `${scheme}://llm/v1` }).llm.baseURL).toBe(`${scheme}://llm/v1`);
    }
  });

  it('masks passwords in URLs and the values of keys and tokens', () => {
    const url = problem({ DATABASE_URL: 'mysql://root:hunter2@db/app' });
    expect(url.value).toBe('mysql://root:***@db/app');
    expect(url.message).not.toContain('hunter2');
    const token = problem({ MEMGATE_ADMIN_TOKEN: 'short-secret' });
    expect(token).toMatchObject({ value: '*** (12 characters)', expected: 'a token of at least 16 characters' });
    expect(token.message).not.toContain('short-secret');
  });

  it('masks any variable named like a secret, so variables added later are masked too', () => {
    expect(maskConfigValue('MEMGATE_METRICS_TOKEN', 'abc')).toBe('*** (3 characters)');
    expect(maskConfigValue('SOME_PASSWORD', 'abcd')).toBe('*** (4 characters)');
    expect(maskConfigValue('MEMGATE_CORS_ORIGINS', 'https://a.example')).toBe('https://a.example');
    expect(maskConfigValue('X_URL', 'redis//user:pw@cache')).toBe('redis//user:***@cache');
  });

  it('names the fallback variable the operator actually set, and every bad variable on one line', () => {
    expect(problem({ OPENAI_BASE_URL: 'api.openai.com' }).variable).toBe('OPENAI_BASE_URL');
    const several = problem({ PORT: 'x', REDIS_URL: 'nope', MEMGATE_LLM_BASE_URL: 'ftp://x' });
    expect(several.problems.map((each) => each.variable)).toEqual(['PORT', 'REDIS_URL', 'MEMGATE_LLM_BASE_URL']);
    expect(several.message).toMatch(
      /^invalid configuration: PORT="x": .* \(also invalid: REDIS_URL, MEMGATE_LLM_BASE_URL\)$/,
    );
    expect(several.message).not.toContain('\n');
  });
});

describe('tracing', () => {
  it('is off by default, and sends to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces or the traces endpoint as it is', () => {
    expect(loadConfig({}).tracing).toEqual({ endpoint: undefined, content: false });
    const base = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', MEMGATE_TRACE_CONTENT: '1' });
    expect(base.tracing).toEqual({ endpoint: 'http://collector:4318/v1/traces', content: true });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.endpoint).toBe(
      'http://collector:4318/v1/traces',
    );
    const traces = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
    });
    expect(traces.tracing.endpoint).toBe('https://traces.example/otlp');
  });

  it('refuses an endpoint that is not an HTTP URL and a content switch other than 0 or 1', () => {
    expect(problemMessage({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toBe(
      'invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT="collector:4317": expected an HTTP URL of an OTLP collector (http:// or https://…)',
    );
    expect(problemMessage({ MEMGATE_TRACE_CONTENT: 'yes' })).toBe(
      'invalid configuration: MEMGATE_TRACE_CONTENT="yes": expected 0 or 1',
    );
  });

  function problemMessage(env: Record<string, string>): string {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  }
});

describe('deadlines, slow readers and connection caps', () => {
  it('have the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      postgresStatementTimeoutMs: 30_000,
      turnTimeoutMs: 300_000,
      stream: { stallMs: 30_000, maxBufferedBytes: 16 * 1024 * 1024 },
      shutdownTimeoutMs: 25_000,
      maxConnections: undefined,
      maxWsConnectionsPerUser: 32,
    });
  });

  it('reads each variable, and refuses a value that is not a whole number', () => {
    const config = loadConfig({
      MEMGATE_PG_STATEMENT_TIMEOUT_MS: '0',
      MEMGATE_TURN_TIMEOUT_MS: '60000',
      MEMGATE_STREAM_STALL_MS: '5000',
      MEMGATE_STREAM_MAX_BUFFER_BYTES: '1048576',
      MEMGATE_SHUTDOWN_TIMEOUT_MS: '10000',
      MEMGATE_MAX_CONNECTIONS: '1000',
      MEMGATE_MAX_WS_CONNECTIONS_PER_USER: '4',
    });
    expect(config).toMatchObject({
      postgresStatementTimeoutMs: 0,
      turnTimeoutMs: 60_000,
      stream: { stallMs: 5_000, maxBufferedBytes: 1_048_576 },
      shutdownTimeoutMs: 10_000,
      maxConnections: 1000,
      maxWsConnectionsPerUser: 4,
    });
    expect(() => loadConfig({ MEMGATE_TURN_TIMEOUT_MS: '0' })).toThrow(/MEMGATE_TURN_TIMEOUT_MS.*≥ 1/);
    expect(() => loadConfig({ MEMGATE_MAX_CONNECTIONS: 'lots' })).toThrow(/MEMGATE_MAX_CONNECTIONS/);
  });
});

describe('MEMGATE_CORS_ORIGINS', () => {
  it('allows no origin by default, and reads `*` or a comma list', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ MEMGATE_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ MEMGATE_CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it('refuses a value that is not an origin, naming the variable', () => {
    expect(() => loadConfig({ MEMGATE_CORS_ORIGINS: 'a.example' })).toThrow(
      /MEMGATE_CORS_ORIGINS="a\.example": expected origins such as/,
    );
  });
});

describe('MEMGATE_CONSOLE', () => {
  it('serves the console by default, and reads on or off', () => {
    expect(loadConfig({}).console).toBe(true);
    expect(loadConfig({ MEMGATE_CONSOLE: 'off' }).console).toBe(false);
    expect(loadConfig({ MEMGATE_CONSOLE: 'on' }).console).toBe(true);
    expect(() => loadConfig({ MEMGATE_CONSOLE: 'yes' })).toThrow(/MEMGATE_CONSOLE="yes": expected on or off/);
  });
});

describe('MEMGATE_GRAPHQL_INTROSPECTION', () => {
  it('answers introspection by default, and reads true or false', () => {
    expect(loadConfig({}).graphqlIntrospection).toBe(true);
    expect(loadConfig({ MEMGATE_GRAPHQL_INTROSPECTION: 'false' }).graphqlIntrospection).toBe(false);
    expect(loadConfig({ MEMGATE_GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection).toBe(true);
    expect(() => loadConfig({ MEMGATE_GRAPHQL_INTROSPECTION: 'no' })).toThrow(
      /MEMGATE_GRAPHQL_INTROSPECTION="no": expected true or false/,
    );
  });

  it('reads the default limits of users without their own, with one-line errors', () => {
    expect(loadConfig({}).defaultLimits).toBeNull();
    expect(
      loadConfig({
        MEMGATE_DEFAULT_RPM: '60',
        MEMGATE_DEFAULT_TPM: '100000',
        MEMGATE_DEFAULT_MAX_CONCURRENT_TURNS: '4',
        MEMGATE_DEFAULT_BUDGET_USD: '12.5',
      }).defaultLimits,
    ).toEqual({
      rpm: 60,
      tpm: 100_000,
      maxConcurrentTurns: 4,
      budget: { usd: 12.5, period: 'month' },
      exempt: false,
    });
    expect(
      loadConfig({ MEMGATE_DEFAULT_BUDGET_TOKENS: '5000', MEMGATE_DEFAULT_BUDGET_PERIOD: 'day' }).defaultLimits,
    ).toMatchObject({ rpm: null, budget: { tokens: 5000, period: 'day' } });
    // A period alone limits nothing.
    expect(loadConfig({ MEMGATE_DEFAULT_BUDGET_PERIOD: 'day' }).defaultLimits).toBeNull();
    const bad: [Record<string, string>, RegExp][] = [
      [
        { MEMGATE_DEFAULT_RPM: '0' },
        /^invalid configuration: MEMGATE_DEFAULT_RPM="0": expected a whole number from 1 to 1000000/,
      ],
      [{ MEMGATE_DEFAULT_RPM: '2000000' }, /MEMGATE_DEFAULT_RPM/],
      [{ MEMGATE_DEFAULT_TPM: '-5' }, /MEMGATE_DEFAULT_TPM/],
      [{ MEMGATE_DEFAULT_MAX_CONCURRENT_TURNS: '1.5' }, /MEMGATE_DEFAULT_MAX_CONCURRENT_TURNS/],
      [{ MEMGATE_DEFAULT_BUDGET_USD: '0' }, /MEMGATE_DEFAULT_BUDGET_USD="0": expected an amount in USD/],
      [{ MEMGATE_DEFAULT_BUDGET_PERIOD: 'week' }, /MEMGATE_DEFAULT_BUDGET_PERIOD="week": expected day or month/],
      [
        { MEMGATE_DEFAULT_BUDGET_USD: '5', MEMGATE_DEFAULT_BUDGET_TOKENS: '100' },
        /MEMGATE_DEFAULT_BUDGET_TOKENS=".*": expected unset when MEMGATE_DEFAULT_BUDGET_USD is set/,
      ],
    ];
    for (const [env, message] of bad) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
