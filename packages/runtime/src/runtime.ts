import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AdminService,
  combineTelemetry,
  createMemgate,
  createProvider,
  type Memgate,
  type MemgateConfig,
  MemgateError,
} from '@memgate/core';
import { SdkMcpClientPool } from '@memgate/mcp';
import type { DataDirState } from '@memgate/store-sqlite';
import { type Backends, openBackends } from './backends.ts';
import { logLevelFrom, metricsTokenFrom } from './observability/log-level.ts';
import { createObservability, type Observability } from './observability/observability.ts';
import type { Tracing } from './tracing/tracing.ts';

/** A configured core plus what the startup banner reports. */
export interface Runtime {
  memgate: Memgate;
  config: MemgateConfig;
  /** Where the data lives, for the banner. */
  storeDescription: string;
  /** How turns are serialised and events shared between instances, for the banner. */
  coordination: Omit<Backends['descriptions'], 'store'>;
  /** The default user's key, when this start created it (printed once). */
  createdDefaultKey: { key: string; path: string } | null;
  /** The process's logger and metrics; the core reports turns to them. */
  observability: Observability;
  /** MEMGATE_METRICS_TOKEN: the bearer `GET /metrics` requires (open when unset). */
  metricsToken: string | undefined;
  close(): Promise<void>;
}

/** How a runtime opens its data. */
export interface RuntimeOptions {
  /**
   * Opens only data that exists: no data directory or database file is created (NOT_FOUND
   * instead). For read-only tools such as `memgate agents list`. Default false.
   */
  existingDataOnly?: boolean;
  /** Creates the `default` user and its key on an empty store, as a server's first start does. Default true. */
  bootstrap?: boolean;
  /** Logs and metrics; default: built from LOG_LEVEL, writing JSON lines to stdout. */
  observability?: Observability;
  /** Default: process.env (LOG_LEVEL, MEMGATE_METRICS_TOKEN). */
  env?: NodeJS.ProcessEnv;
}

/**
 * OpenTelemetry tracing when the configuration names a collector. Loaded only then: with tracing
 * off, no OpenTelemetry module is imported and turns report to the logs and metrics alone.
 */
async function startTracing(config: MemgateConfig, observability: Observability): Promise<Tracing | null> {
  if (!config.tracing.endpoint) return null;
  const { createTracing } = await import('./tracing/tracing.ts');
  return createTracing({
    endpoint: config.tracing.endpoint,
    content: config.tracing.content,
    upstreamBaseURL: config.llm.baseURL,
    logger: observability.logger,
  });
}

/** Builds the core from configuration: the composition root every app's start script uses. */
export async function createRuntime(config: MemgateConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  // Read before anything opens: a bad LOG_LEVEL stops the start with nothing half-applied.
  const observability =
    options.observability ??
    createObservability({
      level: logLevelFrom(env),
      upstreamBaseURL: config.llm.baseURL,
      providerBaseURLs: Object.fromEntries(config.providers.map((provider) => [provider.name, provider.baseURL])),
    });
  const metricsToken = metricsTokenFrom(env);
  const tracing = await startTracing(config, observability);
  const backends = await openBackends(config, { existingOnly: options.existingDataOnly }).catch(async (error) => {
    await tracing?.shutdown();
    throw error;
  });
  const { store, lock, events, limitCounters, descriptions } = backends;
  if (backends.dataDir?.exposed) warnExposedDataDir(observability, backends.dataDir);
  const provider = createProvider(config.llm, config.providers);
  observability.metrics.circuits.source = () => provider.circuits?.() ?? [];
  const memgate = createMemgate({
    store,
    provider,
    lock,
    events,
    adminToken: config.adminToken,
    // MEMGATE_LLM_MODEL, else the providers file's first model, else the offline model.
    defaultModel: provider.models[0],
    maxSteps: config.maxSteps,
    embeddingModel: config.llm.embeddingModel,
    maxAttachmentBytes: config.maxAttachmentBytes,
    maxImportBytes: config.maxImportBytes,
    maxInputMessages: config.maxInputMessages,
    telemetry: tracing ? combineTelemetry(observability.telemetry, tracing.telemetry) : observability.telemetry,
    turnTimeoutMs: config.turnTimeoutMs,
    limitCounters,
    defaultLimits: config.defaultLimits,
    mcp: {
      pool: new SdkMcpClientPool({ allowPrivate: config.mcp.allowPrivate }),
      secretKey: config.mcp.secretKey,
      allowPrivate: config.mcp.allowPrivate,
      fileServers: config.mcp.fileServers,
    },
  });
  const close = async () => {
    await memgate.close();
    await backends.close();
    // Last: the turns that closing let finish have ended their spans; they are exported now.
    await tracing?.shutdown();
  };
  try {
    await store.migrate();
    let createdDefaultKey: Runtime['createdDefaultKey'] = null;
    const created = options.bootstrap === false ? null : await ensureDefaultUser(memgate.admin);
    if (created) {
      await mkdir(config.dataDir, { recursive: true });
      const path = join(config.dataDir, 'default-api-key');
      await writeFile(path, `${created.key.key}\n`, { mode: 0o600 });
      await chmod(path, 0o600);
      createdDefaultKey = { key: created.key.key, path };
    }
    const { locks, events: eventsDescription } = descriptions;
    const coordination = { locks, events: eventsDescription };
    return {
      memgate,
      config,
      storeDescription: descriptions.store,
      coordination,
      createdDefaultKey,
      observability,
      metricsToken,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** An existing data directory others can read: memgate leaves it as it is, and says how to fix it. */
function warnExposedDataDir(observability: Observability, dataDir: DataDirState): void {
  const mode = dataDir.mode.toString(8).padStart(3, '0');
  observability.logger.warn(
    { dataDir: dataDir.path, mode, fix: `chmod 700 ${dataDir.path}` },
    `the data directory ${dataDir.path} is readable by other users (mode ${mode}): run \`chmod 700 ${dataDir.path}\``,
  );
}

/** Creates the `default` user on an empty store; an instance that lost that race to another creates nothing. */
async function ensureDefaultUser(admin: AdminService) {
  try {
    return await admin.ensureDefaultUser();
  } catch (error) {
    if (error instanceof MemgateError && error.code === 'CONFLICT') return null;
    throw error;
  }
}

/** The startup banner: where it listens, which LLM, store and coordination, and the new key once. */
export function banner(runtime: Runtime, url: string, options: { consoleUrl?: string | undefined } = {}): string {
  const lines = [
    `memgate listening on ${url}`,
    ...(options.consoleUrl ? [`  console: ${options.consoleUrl}`] : []),
    `  LLM:    ${runtime.memgate.provider.description}`,
    `  store:  ${runtime.storeDescription}`,
    `  locks:  ${runtime.coordination.locks}`,
    `  events: ${runtime.coordination.events}`,
    `  node:   ${process.version}`,
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
