/**
 * The layers of ../shared/DESIGN.md ("Layers"), enforced: `npm run check:layers` (part of `check:lint`).
 *
 *   testkit/ · scripts/ · e2e/ · bench/ · *.test.ts   (on top: compose the services; never shipped)
 *   gateway/ · registry/ · subgraphs/<name>/          (services: none imports another)
 *   platform/                                         (the shared runtime: imports no service)
 *   web/src/                                          (the browser app: meets the server only through the API)
 *
 * Paths are relative to the directory depcruise runs in (the repository root).
 * scripts/layers.test.ts checks that each rule fires on a fixture and that the repository passes.
 */

/** Test files sit on top, like testkit/: only the cycle rule applies to them. */
const TEST = '\\.test\\.ts$';
const TOOLING = '^(testkit|scripts|e2e|bench)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-service',
      severity: 'error',
      comment:
        'platform/ is the shared runtime every service builds on: it imports nothing from gateway/, subgraphs/, registry/ ' +
        'or the tooling (testkit/, scripts/, e2e/, bench/). Move what both sides need (a contract, a type, a helper) into platform/.',
      from: { path: '^platform/', pathNot: TEST },
      to: { path: '^(gateway|subgraphs|registry|testkit|scripts|e2e|bench)/' },
    },
    {
      name: 'services-are-independent',
      severity: 'error',
      comment:
        'gateway/, registry/ and each subgraphs/<name>/ are independent services: none imports another (nor subgraphs/catalog.ts, ' +
        'which only scripts/, testkit/, e2e/, bench/ and tests use). They meet through the contracts in platform/ and the supergraph.',
      from: { path: '^(gateway|registry|subgraphs/[^/]+)/', pathNot: TEST },
      to: { path: '^(gateway|registry|subgraphs)/', pathNot: '^$1/' },
    },
    {
      name: 'services-are-independent',
      severity: 'error',
      comment:
        'subgraphs/catalog.ts composes the subgraphs (it may import every subgraphs/<name>/) and nothing of the gateway or the registry.',
      from: { path: '^subgraphs/catalog\\.ts$' },
      to: { path: '^(gateway|registry)/' },
    },
    {
      name: 'production-code-does-not-import-tooling',
      severity: 'error',
      comment:
        'Shipped code (non-test files of platform/, gateway/, subgraphs/, registry/) never imports testkit/, scripts/, e2e/, bench/ ' +
        'or a test file: `npm run build` does not ship them.',
      from: { path: '^(platform|gateway|subgraphs|registry)/', pathNot: TEST },
      to: { path: [TOOLING, TEST] },
    },
    {
      name: 'web-is-a-client',
      severity: 'error',
      comment:
        'web/ is the browser app: it reaches the server only through the public API (/graphql, /auth) and its generated ' +
        'types (web/src/gql), never by importing server or tooling code, which would also ship it to every browser.',
      from: { path: '^web/' },
      to: { path: '^(platform|gateway|subgraphs|registry|testkit|scripts|e2e|bench)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle: at run time one of these modules sees the other half-initialised. Break it by moving the shared part ' +
        'down a layer, or (types only) with `import type`, which is erased at compile time and so allowed in a cycle.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '^dist/', '^data/', '^coverage/'] },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports are kept (so the layer rules see `import type` too) and tagged `type-only`,
    // which the cycle rule skips: a cycle through an `import type` edge does not exist at run time.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
