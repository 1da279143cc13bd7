import type { CodegenConfig } from '@graphql-codegen/cli';

// Operations are typed from the SDL the server publishes (apps/graphql/schema.graphql), so the
// console imports nothing from the server's packages. `pnpm --filter @memgate/console codegen`
// regenerates src/gql after an operation or the schema changes; the build fails while it is stale.
const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { JSON: 'unknown', ID: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
