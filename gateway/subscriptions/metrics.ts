import { Counter, Gauge, type Registry } from 'prom-client';

/** Subscription counters on the gateway's /metrics (the tests and the benchmark read them too). */
export function createSubscriptionMetrics(registry: Registry) {
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    sockets: gauge('subscription_sockets', 'Open client WebSocket connections'),
    members: gauge('subscription_members', 'Active client subscriptions'),
    groups: gauge('subscription_groups', 'Groups of identical subscriptions (one upstream and one resolution per event each)'),
    upstreamOpens: counter('subscription_upstream_opens_total', 'Upstream subscriptions opened or re-opened on subgraphs', ['service']),
    admissions: counter('subscription_admissions_total', 'Admission checks by outcome', ['outcome']),
    admissionCalls: counter(
      'subscription_admission_calls_total',
      'Calls to subgraphs that admit subscribers (one per subscriber, or one per batch)',
      ['service'],
    ),
    events: counter('subscription_events_total', 'Upstream events resolved (once per group)'),
    entityFetches: counter('subscription_entity_fetches_total', 'HTTP requests to subgraphs made to resolve subscription events', [
      'service',
    ]),
    entityCacheHits: counter(
      'subscription_entity_cache_hits_total',
      'Subscription event entities answered from the short-lived entity cache instead of a fetch',
      ['service'],
    ),
    messages: counter('subscription_messages_total', 'Event messages written to client sockets'),
    closes: counter('subscription_socket_closes_total', 'Client connections closed by the gateway, by reason', ['reason']),
  };
}
export type SubscriptionMetrics = ReturnType<typeof createSubscriptionMetrics>;
