import type { Feature } from '../../../platform/subgraph/feature';
import { ProviderEvent } from './provider-event.entity';

/** Provider statements (webhooks, status answers) applied once each to their payments. */
export const settlementFeature = {
  entities: [ProviderEvent],
} satisfies Feature;
