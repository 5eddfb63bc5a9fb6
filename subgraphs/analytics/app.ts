import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { analyticsDatabase } from './database';
import type { DashboardChanges } from './dashboard/changes';
import { ANALYTICS_DEFAULT_PORT, analyticsConfigFromEnv, type AnalyticsConfig } from './env';
import { analytics } from './features';
import { factConsumers } from './ingest/events.consumer';
import { initialRebuild } from './rebuild/initial-rebuild';
import { SchoolAnalyticsResolver } from './school/school-analytics.resolver';
import { SchoolClock } from './school/school-clock';

/**
 * The analytics subgraph: learning and revenue figures of courses, schools and live sessions,
 * kept as facts from courses' and billing's domain events (aggregates recomputed in the same
 * transaction), live dashboards as subscriptions, and report exports. A rebuild recomputes every
 * aggregate from the sources' facts exports (rebuild/); the first start runs one.
 */
export function createAnalyticsService(config: AnalyticsConfig, shared?: Transport): SubgraphService {
  return createSubgraphService(
    { name: 'analytics', config, database: analyticsDatabase, parts: analytics, subscriptions: true, wire: wireAnalytics },
    shared,
  );
}

/** The subgraph's manifest (subgraphs/catalog.ts). */
export const analyticsSubgraph = defineSubgraph({
  name: 'analytics',
  defaultPort: ANALYTICS_DEFAULT_PORT,
  database: analyticsDatabase,
  configFromEnv: analyticsConfigFromEnv,
  parts: analytics,
  createService: createAnalyticsService,
});

async function wireAnalytics(runtime: SubgraphRuntime<AnalyticsConfig>) {
  const clock = new SchoolClock(runtime.config.defaultTimeZone);
  const dashboards: DashboardChanges = { changed: () => undefined };
  const rebuild = initialRebuild(runtime);
  return {
    resolvers: [new SchoolAnalyticsResolver(clock)],
    consumers: factConsumers(dashboards),
    afterStart: rebuild.start,
  };
}
