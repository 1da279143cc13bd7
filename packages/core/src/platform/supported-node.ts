/**
 * The Node.js versions memgate runs on. This module imports nothing, so an entry point can load
 * it and check the version before it imports anything an older Node cannot link (`node:sqlite`).
 */

/**
 * The Node.js versions memgate runs on, as `engines.node` says: 22 from 22.16 (when `node:sqlite`
 * gained `setReturnArrays()` and `isTransaction`), 24, and 26 on. Not 23 or 25: graphql 17 and
 * vitest 5 support only even releases, and odd ones never become LTS.
 */
export const SUPPORTED_NODE = '^22.16.0 || ^24.0.0 || >=26.0.0';

/** How to get a supported Node: the project's own, pinned in its lockfile, which `pnpm` scripts run. */
export const HOW_TO_GET_NODE = 'npx -y pnpm@10.34.9 start';

/** Whether `version` (e.g. "24.21.0", without the "v") is in {@link SUPPORTED_NODE}. */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 22) return minor >= 16;
  return major === 24 || major >= 26;
}

/** The one line an unsupported Node gets, naming the required version and how to get it. */
export function unsupportedNodeMessage(version: string): string {
  return (
    `memgate needs Node.js 22.16 or later on 22, 24, or 26 and later (this is ${version}). ` +
    `Run it through pnpm, which uses the Node.js 24 the project installs: ${HOW_TO_GET_NODE}`
  );
}

/**
 * Exits with code 2 and one line on stderr when this process runs on an unsupported Node.
 * Call it first in an entry point, then load the rest with a dynamic `import()`.
 */
export function exitUnlessSupportedNode(): void {
  const version = process.versions.node;
  if (isSupportedNode(version)) return;
  process.stderr.write(`${unsupportedNodeMessage(`v${version}`)}\n`);
  process.exit(2);
}
