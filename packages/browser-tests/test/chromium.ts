import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (scripts/ensure-chromium.sh installs it), or MEMGATE_CHROMIUM. */
export function chromiumPath(): string {
  return process.env['MEMGATE_CHROMIUM'] || '/usr/bin/chromium';
}

/**
 * Launches headless Chromium through playwright-core, which never downloads a browser of its own.
 * Its sandbox cannot start as root (CI runs as root), so `--no-sandbox` only then.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(`No Chromium at ${executablePath}: run scripts/ensure-chromium.sh (or set MEMGATE_CHROMIUM).`);
  }
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath,
    headless: true,
    args: asRoot ? ['--no-sandbox'] : [],
  });
}
