import type DataLoader from 'dataloader';
import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { LiveSessionFact } from './live-session-fact.entity';
import { LiveSessionStats } from './live-session-stats.entity';

declare module '../context' {
  interface AnalyticsLoaders {
    liveSessionFact: DataLoader<string, LiveSessionFact | null>;
    /** Final figures of ended sessions. */
    liveSessionStats: DataLoader<string, LiveSessionStats | null>;
  }
}

export const liveSessionLoaders = (ctx: LoaderContext) => ({
  liveSessionFact: byId((ids) => ctx.em.find(LiveSessionFact, { id: { $in: ids } })),
  liveSessionStats: byId((ids) => ctx.em.find(LiveSessionStats, { id: { $in: ids } })),
});
