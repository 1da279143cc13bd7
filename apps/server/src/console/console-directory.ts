import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The built console: `dist/` of the `@memgate/console` package, wherever the package manager put
 * it (the workspace in development, node_modules in a deployed image). Undefined when the package
 * is not installed at all; a missing build is told per request (503), so that building the console
 * while the server runs is enough.
 */
export function defaultConsoleDirectory(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@memgate/console/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}
