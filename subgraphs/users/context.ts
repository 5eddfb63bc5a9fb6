import type { SubgraphContext } from '../../platform/graphql/subgraph-server';

/**
 * The request's DataLoaders. Each feature adds its own here by declaration merging in its
 * `*.loaders.ts` and provides them through its feature module; `features.ts` checks at compile
 * time that the assembled loader factory provides every one. So this file imports no feature, and
 * a feature reads another's loaders without importing its code.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the features
export interface UsersLoaders {}

export type UsersContext = SubgraphContext<UsersLoaders>;
