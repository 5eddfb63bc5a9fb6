import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One prom-client registry per service, so several services can share a process (embedded mode). */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors by the code clients saw, and the subgraph named (serviceName) if any',
    labelNames: ['code', 'subgraph'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being served', registers: [registry] });
  return { registry, httpDuration, graphqlErrors, inFlight };
}
export type Metrics = ReturnType<typeof createMetrics>;
