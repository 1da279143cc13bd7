const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** LOG_LEVEL: one of pino's levels, `info` when unset; anything else is a configuration error. */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): string {
  const value = env['LOG_LEVEL']?.trim().toLowerCase();
  if (!value) return 'info';
  if ((LEVELS as readonly string[]).includes(value)) return value;
  throw new Error(`LOG_LEVEL=${JSON.stringify(value)} is not valid: expected one of ${LEVELS.join(', ')}.`);
}

/** MEMGATE_METRICS_TOKEN: the bearer `GET /metrics` requires; unset or empty leaves it open. */
export function metricsTokenFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env['MEMGATE_METRICS_TOKEN'] || undefined;
}
