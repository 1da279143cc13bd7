import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: the workspace packages' `@memgate/source` export condition
// points at src/, while plain `node` takes `default` (the compiled dist/).
const conditions = ['@memgate/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './vitest.summary-reporter.ts'],
    pool: 'forks',
  },
});
