import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createMemgate,
  createProvider,
  type Memgate,
  type MemgateConfig,
  MemgateError,
  type Store,
} from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';

/** A configured core plus what the startup banner reports. */
export interface Runtime {
  memgate: Memgate;
  config: MemgateConfig;
  /** Where the data lives, for the banner. */
  storeDescription: string;
  /** The default user's key, when this start created it (printed once). */
  createdDefaultKey: { key: string; path: string } | null;
  close(): Promise<void>;
}

async function openStore(config: MemgateConfig): Promise<{ store: Store; description: string }> {
  if (config.databaseUrl) {
    throw new MemgateError(
      'INTERNAL_SERVER_ERROR',
      'DATABASE_URL is set, but this build has no PostgreSQL store yet; unset it to use the embedded SQLite store.',
    );
  }
  await mkdir(config.dataDir, { recursive: true });
  const store = SqliteStore.open(config.dataDir);
  return { store, description: `SQLite at ${resolve(config.dataDir, 'memgate.sqlite')}` };
}

/** Builds the core from configuration: the composition root every app's start script uses. */
export async function createRuntime(config: MemgateConfig): Promise<Runtime> {
  const { store, description } = await openStore(config);
  await store.migrate();
  const provider = createProvider(config.llm);
  const memgate = createMemgate({
    store,
    provider,
    adminToken: config.adminToken,
    defaultModel: provider.offline ? provider.models[0] : config.llm.model,
    maxSteps: config.maxSteps,
  });
  let createdDefaultKey: Runtime['createdDefaultKey'] = null;
  const created = await memgate.admin.ensureDefaultUser();
  if (created) {
    const path = join(config.dataDir, 'default-api-key');
    await writeFile(path, `${created.key.key}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
    createdDefaultKey = { key: created.key.key, path };
  }
  return { memgate, config, storeDescription: description, createdDefaultKey, close: () => memgate.close() };
}

/** The startup banner: where it listens, which LLM and store, and the new key once. */
export function banner(runtime: Runtime, url: string): string {
  const lines = [
    `memgate listening on ${url}`,
    `  LLM:   ${runtime.memgate.provider.description}`,
    `  store: ${runtime.storeDescription}`,
  ];
  if (runtime.createdDefaultKey) {
    lines.push(
      '',
      `  Created user "default". Its API key (shown once, also saved to ${runtime.createdDefaultKey.path}):`,
      `    ${runtime.createdDefaultKey.key}`,
    );
  }
  return lines.join('\n');
}
