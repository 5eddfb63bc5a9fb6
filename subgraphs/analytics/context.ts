import type { SubgraphContext } from '../../platform/graphql/subgraph-server';

/**
 * The request's DataLoaders. Each feature adds its own here by declaration merging in its
 * `*.loaders.ts` and provides them through its feature module; `features.ts` checks at compile
 * time that the assembled loader factory provides every one (see subgraphs/courses/context.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the features
export interface AnalyticsLoaders {}

export type AnalyticsContext = SubgraphContext<AnalyticsLoaders>;
