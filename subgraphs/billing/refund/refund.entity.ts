import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { Payment } from '../payment/payment.entity';

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/**
 * One refund asked of a payment's provider. PENDING while the provider is asked (its amount is
 * reserved on the payment, so concurrent refunds cannot exceed what was paid), then SUCCEEDED
 * (the payment's refunded amount grows) or FAILED (the reservation is released).
 */
@Entity()
export class Refund extends TenantEntity<'status'> {
  @ManyToOne(() => Payment)
  payment!: Payment;

  @Property()
  amountPiasters!: number;

  @Property({ length: 500, nullable: true })
  reason?: string;

  @EnumColumn()
  status: RefundStatus = 'PENDING';

  /** REFUND, or VOID when the provider cancelled the whole transaction before settlement. */
  @EnumColumn()
  kind: 'REFUND' | 'VOID' = 'REFUND';

  @Property({ length: 64, nullable: true })
  providerRefundId?: string;

  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Property({ length: 300, nullable: true })
  error?: string;
}
