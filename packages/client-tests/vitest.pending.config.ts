import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.ts';

/**
 * Runs the client tests that wait for the rest of issue 11 (`test/*.pending.ts`, outside the
 * suite's include so the branch stays green): `pnpm exec vitest run -c packages/client-tests/vitest.pending.config.ts`.
 * When one passes, rename it to `*.test.ts`.
 */
export default defineConfig({
  ...root,
  test: { ...root.test, include: ['packages/client-tests/test/*.pending.ts'] },
});
