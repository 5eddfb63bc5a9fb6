import type { personLoaders } from '../../../platform/people/read-models';

declare module '../context' {
  // The read model's loaders (platform/people) join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface AnalyticsLoaders extends ReturnType<typeof personLoaders> {}
}
