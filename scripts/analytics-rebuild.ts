/**
 * Recomputes the analytics aggregates from the facts exports of courses and billing (after a new
 * metric, a lost store, or to check the aggregates against the sources):
 *
 *   npm run analytics:rebuild [-- --school <id>]
 *
 * Reads the analytics service's configuration from the environment (DATABASE_URL, SUBGRAPH_URLS,
 * INTERNAL_SIGNING_KEYS or DATA_DIR's keys). Safe while analytics runs: the records keep the
 * newest state whichever comes first, and nothing is deleted.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createInternalContextSigner } from '../platform/auth/internal-context';
import { loadSigningKeys } from '../platform/auth/keys';
import { openDatabase } from '../platform/db/orm';
import { createLogger } from '../platform/logger';
import { analyticsDatabase } from '../subgraphs/analytics/database';
import { analyticsConfigFromEnv } from '../subgraphs/analytics/env';
import { rebuildAggregates } from '../subgraphs/analytics/rebuild/rebuild';

async function main() {
  const { values } = parseArgs({ options: { school: { type: 'string' } } });
  const config = analyticsConfigFromEnv(process.env);
  const logger = createLogger('analytics-rebuild');
  const orm = await openDatabase({ ...analyticsDatabase, ...config.database, logger });
  try {
    const keys = await loadSigningKeys(config.signingKeys.json, config.signingKeys.file);
    const result = await rebuildAggregates({
      orm,
      logger,
      sources: config.sources,
      sign: createInternalContextSigner(keys),
      school: values.school,
      timeoutMs: config.factsTimeoutMs,
    });
    const facts = Object.entries(result.facts)
      .map(([source, n]) => `${n} from ${source}`)
      .join(', ');
    process.stdout.write(`rebuilt: ${facts}; ${result.courses} course aggregates recomputed in ${(result.ms / 1000).toFixed(1)} s\n`);
  } finally {
    await orm.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
