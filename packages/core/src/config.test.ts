import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

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
    });
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
    expect(() => loadConfig({ MEMGATE_CORS_ORIGINS: 'a.example' })).toThrow(/MEMGATE_CORS_ORIGINS: "a\.example"/);
  });
});
