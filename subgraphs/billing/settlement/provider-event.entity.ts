import { Entity, Index, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantOwned } from '../../../platform/db/tenant';
import type { PaymentProvider } from '../payment/payment.entity';

/** What became of a provider event: applied to its payment, or kept without effect and why. */
export type ProviderEventOutcome = 'APPLIED' | 'STALE' | 'NOTICE' | 'AMOUNT_MISMATCH';

/**
 * A verified statement of a provider about one of our payments (a webhook callback, or an answer
 * of its status API), kept as received. The unique key `(provider, eventKey)`, `eventKey` being
 * the provider's transaction or reference id and the outcome it reports, is inserted in the same
 * transaction as the payment's change: the same callback delivered again (or concurrently) hits
 * the key and changes nothing. Unverified requests are never stored (only logged).
 */
@Entity()
@Unique({ properties: ['provider', 'eventKey'] })
export class ProviderEvent extends TenantOwned {
  [OptionalProps]?: 'receivedAt';

  @EnumColumn()
  provider!: PaymentProvider;

  /** `<transaction or reference id>:<outcome>`. */
  @Property({ length: 120 })
  eventKey!: string;

  @Index()
  @Property({ type: 'uuid' })
  paymentId!: string;

  @EnumColumn()
  outcome!: ProviderEventOutcome;

  /** `webhook` or `reconciliation`. */
  @Property({ length: 20 })
  via!: string;

  /** The request body (or status answer) as received. */
  @Property({ type: 'text' })
  payload!: string;

  @Property({ length: 3 })
  receivedAt: Date = new Date();
}
