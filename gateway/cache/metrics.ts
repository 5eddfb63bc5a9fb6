import { Counter, type Registry } from 'prom-client';

/** The cache's counters on the gateway's /metrics (tests and the benchmark read them too). */
export function createCacheMetrics(registry: Registry) {
  const registers = [registry];
  return {
    hits: new Counter({
      name: 'gateway_cache_hits_total',
      help: 'Answers served from the cache: layer "entity" (one entity of an _entities fetch), "fetch" (a root fetch), "response" (a whole response)',
      labelNames: ['layer', 'subgraph'] as const,
      registers,
    }),
    misses: new Counter({
      name: 'gateway_cache_misses_total',
      help: 'Cacheable answers not found (or no longer valid) in the cache, by layer',
      labelNames: ['layer', 'subgraph'] as const,
      registers,
    }),
    invalidations: new Counter({
      name: 'gateway_cache_invalidations_total',
      help: 'Invalidations applied, by cause: a domain event type, "mutation" (an answer through this gateway), "epoch" (the whole cache)',
      labelNames: ['cause'] as const,
      registers,
    }),
    unavailable: new Counter({
      name: 'gateway_cache_unavailable_total',
      help: 'Cache operations that went without the store (Redis away or slow): served uncached, or, for an invalidation, the cache distrusted until the epoch is renewed',
      labelNames: ['operation'] as const,
      registers,
    }),
    unhinted: new Counter({
      name: 'gateway_cache_unhinted_total',
      help: 'Fetches the allow-list lets be cached that their subgraph answered without a max-age (no @cacheControl hint on a field selected, or no-store): not kept',
      labelNames: ['subgraph'] as const,
      registers,
    }),
    dedupJoins: new Counter({
      name: 'gateway_fetch_dedup_joins_total',
      help: 'Subgraph fetches not sent because an identical one (same subgraph, document, variables and scope) was in flight',
      labelNames: ['subgraph'] as const,
      registers,
    }),
  };
}
export type CacheMetrics = ReturnType<typeof createCacheMetrics>;
