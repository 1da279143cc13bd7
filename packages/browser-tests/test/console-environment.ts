import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { launchChromium } from './chromium.ts';
import { type ConsolePage, type ConsolePageOptions, openConsole } from './console-page.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

export interface ConsoleEnvironment {
  readonly server: ConsoleServer;
  readonly browser: Browser;
  /** A new console tab; closed after the test, which fails if the tab saw a CSP violation, page error or dialog. */
  open(options?: ConsolePageOptions): Promise<ConsolePage>;
}

/**
 * One server and one Chromium per test file (registered as vitest hooks), a fresh browser context
 * per tab. After each test every tab it opened must be free of problems.
 */
export function consoleEnvironment(): ConsoleEnvironment {
  // A browser, a server and the whole workspace's other tests share two cores under `pnpm test`:
  // generous limits, so that a slow moment is not a failure (a missing element still fails, named).
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  const tabs: ConsolePage[] = [];
  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  afterEach(async () => {
    const opened = tabs.splice(0);
    const problems = opened.flatMap((tab) => tab.problems);
    await Promise.all(opened.map((tab) => tab.close()));
    expect(problems, 'CSP violations, page errors or dialogs in the console').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the console server is not started (use inside a test)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started (use inside a test)');
      return browser;
    },
    async open(options) {
      if (!server || !browser) throw new Error('use open() inside a test');
      const tab = await openConsole(browser, server, options);
      tabs.push(tab);
      return tab;
    },
  };
}
