import { Counter, Gauge, type Registry } from 'prom-client';

/** Subscription counters on the gateway's /metrics (the tests and the benchmark read them too). */
export function createSubscriptionMetrics(registry: Registry) {
  const registers = [registry];
  return {
    sockets: new Gauge({ name: 'subscription_sockets', help: 'Open client WebSocket connections', registers }),
    members: new Gauge({ name: 'subscription_members', help: 'Active client subscriptions', registers }),
    groups: new Gauge({
      name: 'subscription_groups',
      help: 'Groups of identical subscriptions (one upstream and one resolution per event each)',
      registers,
    }),
    upstreamOpens: new Counter({
      name: 'subscription_upstream_opens_total',
      help: 'Upstream subscriptions opened or re-opened on subgraphs',
      labelNames: ['service'] as const,
      registers,
    }),
    admissions: new Counter({
      name: 'subscription_admissions_total',
      help: 'Admission checks by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    events: new Counter({ name: 'subscription_events_total', help: 'Upstream events resolved (once per group)', registers }),
    entityFetches: new Counter({
      name: 'subscription_entity_fetches_total',
      help: 'HTTP requests to subgraphs made to resolve subscription events',
      labelNames: ['service'] as const,
      registers,
    }),
    messages: new Counter({ name: 'subscription_messages_total', help: 'Event messages written to client sockets', registers }),
    closes: new Counter({
      name: 'subscription_socket_closes_total',
      help: 'Client connections closed by the gateway, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}
export type SubscriptionMetrics = ReturnType<typeof createSubscriptionMetrics>;
