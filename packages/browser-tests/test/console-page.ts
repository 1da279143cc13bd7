import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsoleServer } from './console-server.ts';

/** A console tab and what went wrong in it: CSP violations, uncaught errors, dialogs. */
export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Each entry fails the test (see `expectNoProblems`). */
  problems: string[];
  close(): Promise<void>;
}

export interface ConsolePageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

interface CspReporter {
  __memgateCspViolation(text: string): void;
}

/**
 * Opens the console in a fresh browser context (its own sessionStorage) and records every CSP
 * violation (a `securitypolicyviolation` listener added before the page's scripts, plus Chromium's
 * console report), page error and dialog: an injected `<img onerror>` or an inline style would
 * show up here.
 */
export async function openConsole(
  browser: Browser,
  server: ConsoleServer,
  options: ConsolePageOptions = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  // Well within the test's own timeout, so that a missing element is named in the failure.
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  await page.exposeFunction('__memgateCspViolation', (text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const reporter = window as unknown as CspReporter;
      reporter.__memgateCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`,
      );
    });
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(server.consoleUrl);
  return { page, context, problems, close: () => context.close() };
}
