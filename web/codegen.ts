import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for the web app, from the committed supergraph's API schema.
 * `npm run web:codegen` regenerates web/src/gql; `npm run web:codegen -- --check` (part of `npm test`)
 * fails when the operations in web/src or the supergraph changed without regenerating.
 * Run from the repository root.
 */
const config: CodegenConfig = {
  schema: { 'schema/supergraph.graphql': { loader: './web/codegen/api-schema.cjs' } },
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Operations are strings with their types attached: no GraphQL parser in the browser bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};
export default config;
