import { createInternalContextSigner } from '../../../platform/auth/internal-context';
import { loadSigningKeys } from '../../../platform/auth/keys';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import type { SubgraphRuntime } from '../../../platform/subgraph/host';
import { CourseFact } from '../course/course-fact.entity';
import { EnrollmentFact } from '../enrollment/enrollment-fact.entity';
import type { AnalyticsConfig } from '../env';
import { PaymentFact } from '../payment/payment-fact.entity';
import { rebuildAggregates, type RebuildResult } from './rebuild';

/** Pauses before each new try of a first rebuild whose sources could not answer (they may start after this service). */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

/**
 * The rebuild of a service's first start: the events only bring what happens from now on, so when
 * analytics knows no fact at all (a new database, the demo data seeded before this service
 * existed) it reads what already exists from the sources' exports. In the background once the
 * consumers are bound (events meanwhile are kept: the records take the newest state), tried again
 * while a source cannot answer. `ANALYTICS_INITIAL_REBUILD=off` turns it off.
 */
export function initialRebuild(runtime: SubgraphRuntime<AnalyticsConfig>) {
  const { config, orm, logger } = runtime;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<RebuildResult | undefined> | undefined;
  runtime.onStop('initial rebuild', async () => {
    stopped = true;
    clearTimeout(timer);
    await running?.catch(() => undefined);
  });

  const empty = async () => {
    const em = orm.em.fork();
    const every = { filters: { [TENANT_FILTER]: false } };
    for (const entity of [CourseFact, EnrollmentFact, PaymentFact]) if ((await em.count(entity, {}, every)) > 0) return false;
    return true;
  };

  const attempt = async (tries: number): Promise<RebuildResult | undefined> => {
    if (stopped) return undefined;
    try {
      const keys = await loadSigningKeys(config.signingKeys.json, config.signingKeys.file);
      return await rebuildAggregates({
        orm,
        logger,
        sources: config.sources,
        sign: createInternalContextSigner(keys),
        timeoutMs: config.factsTimeoutMs,
      });
    } catch (err) {
      const delay = RETRY_DELAYS_MS[tries];
      logger.warn({ err, retryInMs: delay }, 'first rebuild from the facts exports failed');
      if (delay === undefined || stopped) return undefined;
      await new Promise<void>((resolve) => (timer = setTimeout(resolve, delay)).unref());
      return attempt(tries + 1);
    }
  };

  return {
    /** afterStart: starts the first rebuild when nothing is known yet; does not wait for it. */
    start: async () => {
      if (config.initialRebuild === 'off' || !(await empty())) return;
      logger.info('no facts yet: building the aggregates from the sources’ exports');
      running = attempt(0);
    },
    /** The first rebuild under way, if any (tests wait for it). */
    running: () => running,
  };
}
