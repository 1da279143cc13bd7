/**
 * The Node.js versions memgate runs on. This module imports nothing, so an entry point can load
 * it and check the version before it imports anything an older Node cannot link (`node:sqlite`).
 */

/** The oldest Node.js memgate supports: `node:sqlite` gained `setReturnArrays()` and `isTransaction` in 22.16. */
export const MINIMUM_NODE = '22.16.0';

/** How to get a supported Node: the project's own, pinned in its lockfile, which `pnpm` scripts run. */
export const HOW_TO_GET_NODE = 'npx -y pnpm@10.34.9 start';

/** Whether `version` (e.g. "24.21.0", without the "v") is at least {@link MINIMUM_NODE}. */
export function isSupportedNode(version: string): boolean {
  const actual = version.split('.').map(Number);
  const minimum = MINIMUM_NODE.split('.').map(Number);
  for (let index = 0; index < minimum.length; index++) {
    const difference = (actual[index] ?? 0) - (minimum[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** The one line an unsupported Node gets, naming the required version and how to get it. */
export function unsupportedNodeMessage(version: string): string {
  return (
    `memgate needs Node.js ${MINIMUM_NODE} or later (this is ${version}). ` +
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
