import { openFileStorage } from '../../platform/storage/open';
import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { analyticsDatabase } from './database';
import { createCoalescer, redisPublishGate } from './dashboard/coalescer';
import { createDashboards } from './dashboard/dashboards';
import { ANALYTICS_DEFAULT_PORT, analyticsConfigFromEnv, type AnalyticsConfig } from './env';
import { analytics } from './features';
import { factConsumers } from './ingest/events.consumer';
import { LiveSessionAnalyticsResolver } from './live-session/live-session-analytics.resolver';
import { memoryCountersStore, redisCountersStore } from './live-session/live-counters.store';
import { LiveSessions } from './live-session/live-sessions';
import { planPeopleBackfill } from './person/person.backfill';
import { initialRebuild } from './rebuild/initial-rebuild';
import { ReportJobResolver } from './report/report.resolver';
import { ReportService } from './report/report.service';
import { reportConsumer } from './report/report.worker';
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
  const { config, orm, redis, transport, logger } = runtime;
  const clock = new SchoolClock(config.defaultTimeZone);
  // Report files; local file URLs name this service's own address (its /files), known once it listens.
  const storage = await openFileStorage(config.files, runtime.app, runtime.url);
  runtime.onStop('file storage', () => storage.close());
  const reports = new ReportService(storage, (ctx) => clock.timeZoneOf(ctx));
  // Live dashboards: one coalescer for every topic, gated in Redis across replicas when there is one.
  const coalescer = createCoalescer({
    intervalMs: config.dashboardIntervalMs,
    publish: (topic, value) => transport.bus.publish(topic, value),
    gate: redis ? redisPublishGate(redis, config.redisPrefix) : undefined,
    logger,
  });
  const sessions = new LiveSessions({
    orm,
    bus: transport.bus,
    store: redis ? redisCountersStore(redis, { keyPrefix: config.redisPrefix }) : memoryCountersStore(),
    coalescer,
    logger,
  });
  runtime.onStop('live dashboards', async () => {
    await sessions.stop();
    await coalescer.stop();
  });
  const dashboards = createDashboards({ orm, clock, coalescer, logger, sessionChanged: sessions.changed });
  const rebuild = initialRebuild(runtime);
  // Before the consumers are bound: what is empty now (person.backfill.ts says why not later).
  const people = await planPeopleBackfill(orm, logger);
  return {
    resolvers: [new SchoolAnalyticsResolver(clock), new LiveSessionAnalyticsResolver(sessions), new ReportJobResolver(reports)],
    consumers: [...factConsumers(dashboards), reportConsumer({ storage, ...config.reports })],
    afterStart: async () => {
      await rebuild.start();
      await people.request();
      await sessions.resume();
    },
  };
}
