import { ConfigError, loadConfig, type MemgateConfig } from '@memgate/core';

/** The exit code of a bad configuration (and of bad command-line usage): distinct from a crash's 1. */
export const CONFIG_EXIT_CODE = 2;

/**
 * Loads the configuration for an entry point (server, standalone app, CLI). A bad value prints
 * `memgate: invalid configuration: VARIABLE="value": expected …` as one line on stderr, with no
 * stack trace, and exits with code 2: before anything is opened, so nothing is half-applied.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): MemgateConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`memgate: ${error.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
