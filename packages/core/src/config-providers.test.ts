import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const directory = mkdtempSync(join(tmpdir(), 'memgate-providers-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
/** Writes `text` to a new file and returns its path. */
function file(text: string, extension = 'yaml'): string {
  const path = join(directory, `providers-${files++}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const YAML = `
providers:
  - name: openai
    base_url: https://api.openai.com/v1
    api_key_env: OPENAI_KEY
    headers: { X-Team: research }
    models:
      - { id: gpt-4o, context_window: 128000, supports_tools: true, supports_vision: true, input_price: 2.5, output_price: 10 }
  - name: local
    base_url: http://127.0.0.1:11434/v1
    api_key_env: LOCAL_KEY
    models:
      - id: qwen3:8b
        context_window: 32768
        supports_tools: false
`;

/** The one-line message loadConfig throws for these variables. */
function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('MEMGATE_PROVIDERS_FILE', () => {
  it('reads a YAML file: each provider with its key from the environment, lower-case headers and its models', () => {
    const path = file(YAML);
    const config = loadConfig({ MEMGATE_PROVIDERS_FILE: path, OPENAI_KEY: 'sk-openai', LOCAL_KEY: 'sk-local' });
    expect(config.providers).toEqual([
      {
        name: 'openai',
        baseURL: 'https://api.openai.com/v1',
        apiKey: 'sk-openai',
        headers: { 'x-team': 'research' },
        models: [
          {
            id: 'gpt-4o',
            contextWindow: 128_000,
            supportsTools: true,
            supportsVision: true,
            inputPrice: 2.5,
            outputPrice: 10,
          },
        ],
      },
      {
        name: 'local',
        baseURL: 'http://127.0.0.1:11434/v1',
        apiKey: 'sk-local',
        headers: {},
        models: [
          {
            id: 'qwen3:8b',
            contextWindow: 32_768,
            supportsTools: false,
            supportsVision: false,
            inputPrice: null,
            outputPrice: null,
          },
        ],
      },
    ]);
  });

  it('reads the same file written as JSON; without the variable there are no providers', () => {
    const json = JSON.stringify({
      providers: [
        {
          name: 'openai',
          base_url: 'https://api.openai.com/v1',
          api_key_env: 'OPENAI_KEY',
          models: [{ id: 'gpt-4o', context_window: 128_000, supports_tools: true }],
        },
      ],
    });
    const config = loadConfig({ MEMGATE_PROVIDERS_FILE: file(json, 'json'), OPENAI_KEY: 'sk-openai' });
    expect(config.providers.map((provider) => provider.models[0]?.id)).toEqual(['gpt-4o']);
    expect(loadConfig({}).providers).toEqual([]);
  });

  it('fails with one line naming the unset variable of api_key_env', () => {
    const path = file(YAML);
    expect(failure({ MEMGATE_PROVIDERS_FILE: path, OPENAI_KEY: 'sk-openai', LOCAL_KEY: ' ' })).toBe(
      `invalid configuration: MEMGATE_PROVIDERS_FILE=${JSON.stringify(path)}: expected ` +
        'providers[1].api_key_env to name a set variable (LOCAL_KEY is not set)',
    );
  });

  it.each([
    ['a negative price', YAML.replace('input_price: 2.5', 'input_price: -1'), 'providers[0].models[0].input_price: '],
    ['a missing context window', YAML.replace('context_window: 32768', ''), 'providers[1].models[0].context_window: '],
    ['a tiny context window', YAML.replace('context_window: 32768', 'context_window: 10'), 'context_window: '],
    ['a name with a slash', YAML.replace('name: local', 'name: my/local'), 'providers[1].name: lower-case letters'],
    ['the name default', YAML.replace('name: local', 'name: default'), 'providers[1].name: "default" is the'],
    ['a repeated name', YAML.replace('name: local', 'name: openai'), 'providers[1].name: "openai" is given twice'],
    ['a base URL without scheme', YAML.replace('http://127.0.0.1', '127.0.0.1'), 'providers[1].base_url: an HTTP URL'],
    [
      'an unknown field',
      YAML.replace('LOCAL_KEY', 'LOCAL_KEY\n    api_key: sk-inline'),
      'providers[1]: Unrecognized key: "api_key"',
    ],
    ['a misspelt field', YAML.replace('supports_tools: false', 'supports_tool: false'), 'models[0].supports_tools: '],
    ['no models', YAML.replace(/models:\n {6}- id: qwen3:8b\n.*\n.*\n/, 'models: []\n'), 'providers[1].models: '],
    ['no providers', 'providers: []', 'providers: '],
    ['YAML that does not parse', 'providers: [ {', 'expected a YAML or JSON providers file ('],
  ])('fails with one line naming the field for %s', (_case, text, expected) => {
    const message = failure({ MEMGATE_PROVIDERS_FILE: file(text), OPENAI_KEY: 'a', LOCAL_KEY: 'b' });
    expect(message).toMatch(/^invalid configuration: MEMGATE_PROVIDERS_FILE="[^"]+": expected /);
    expect(message).toContain(expected);
  });

  it('fails with one line when the file cannot be read', () => {
    const path = join(directory, 'absent.yaml');
    expect(failure({ MEMGATE_PROVIDERS_FILE: path })).toBe(
      `invalid configuration: MEMGATE_PROVIDERS_FILE=${JSON.stringify(path)}: expected a readable providers file (ENOENT)`,
    );
  });

  it('checks the other variables first: a bad one is reported, not the file', () => {
    expect(failure({ MEMGATE_PROVIDERS_FILE: join(directory, 'absent.yaml'), PORT: 'x' })).toContain('PORT="x"');
  });
});
