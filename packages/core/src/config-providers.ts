import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

/*
 * The providers file (MEMGATE_PROVIDERS_FILE): named OpenAI-compatible upstreams, each with the
 * models it serves. Read once at startup; any fault is one ConfigError line naming the field.
 */

/** The name `MEMGATE_LLM_*` defines; a file may not reuse it. */
export const DEFAULT_PROVIDER_NAME = 'default';

/** A price in USD per million tokens. */
const price = z.number().min(0).max(1_000_000).optional();

const providerModelSchema = z.strictObject({
  id: z.string().min(1).max(200),
  context_window: z.number().int().min(1024).max(10_000_000),
  supports_tools: z.boolean(),
  supports_vision: z.boolean().optional(),
  input_price: price,
  output_price: price,
});

const providerSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_" (no "/")')
    .refine((name) => name !== DEFAULT_PROVIDER_NAME, `"${DEFAULT_PROVIDER_NAME}" is the MEMGATE_LLM_* provider`),
  base_url: z
    .string()
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'an HTTP URL (http:// or https://…)'),
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'header names of letters, digits and "-"'), z.string())
    .optional(),
  models: z.array(providerModelSchema).min(1),
});

export const providersFileSchema = z
  .strictObject({ providers: z.array(providerSchema).min(1) })
  .superRefine((file, context) => {
    const names = file.providers.map((provider) => provider.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        context.addIssue({ code: 'custom', path: ['providers', index, 'name'], message: `"${name}" is given twice` });
      }
    });
    file.providers.forEach((provider, index) => {
      const ids = provider.models.map((model) => model.id);
      ids.forEach((id, modelIndex) => {
        if (ids.indexOf(id) !== modelIndex) {
          const path = ['providers', index, 'models', modelIndex, 'id'];
          context.addIssue({ code: 'custom', path, message: `"${id}" is given twice` });
        }
      });
    });
  });

/** One model of a file provider, as the registry and `/v1/models` use it. */
export interface ProviderModelConfig {
  id: string;
  contextWindow: number;
  supportsTools: boolean;
  supportsVision: boolean;
  /** USD per million prompt tokens; null when the file gives none. */
  inputPrice: number | null;
  /** USD per million completion tokens; null when the file gives none. */
  outputPrice: number | null;
}

/** One named upstream of the providers file, its key read from the environment. */
export interface ProviderConfig {
  name: string;
  baseURL: string;
  apiKey: string;
  /** Extra headers sent on every call to it (lower-case names). */
  headers: Record<string, string>;
  models: ProviderModelConfig[];
}

const VARIABLE = 'MEMGATE_PROVIDERS_FILE';

/** `providers[1].models[0].id`: the field as the file's author reads it. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

function fileError(path: string, expected: string): ConfigError {
  return new ConfigError([{ variable: VARIABLE, value: path, expected }]);
}

/**
 * Reads and validates the providers file at `path` (YAML, of which JSON is a subset). A file that
 * cannot be read or parsed, a bad field, or an `api_key_env` naming a variable that is not set
 * throws {@link ConfigError}, whose one-line message names the field.
 */
export function loadProvidersFile(path: string, env: Record<string, string | undefined>): ProviderConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw fileError(path, `a readable providers file (${code})`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    // The parser's first line says where (line and column); the rest is a drawing of the spot.
    const reason = (error as Error).message.split('\n')[0];
    throw fileError(path, `a YAML or JSON providers file (${reason})`);
  }
  const parsed = providersFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? fieldPath(issue.path) : '';
    throw fileError(path, `a valid providers file: ${field || 'the file'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.providers.map((provider, index) => {
    const apiKey = env[provider.api_key_env];
    if (apiKey === undefined || apiKey.trim() === '') {
      throw fileError(
        path,
        `providers[${index}].api_key_env to name a set variable (${provider.api_key_env} is not set)`,
      );
    }
    return {
      name: provider.name,
      baseURL: provider.base_url,
      apiKey,
      headers: Object.fromEntries(
        Object.entries(provider.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
      models: provider.models.map((model) => ({
        id: model.id,
        contextWindow: model.context_window,
        supportsTools: model.supports_tools,
        supportsVision: model.supports_vision ?? false,
        inputPrice: model.input_price ?? null,
        outputPrice: model.output_price ?? null,
      })),
    };
  });
}
