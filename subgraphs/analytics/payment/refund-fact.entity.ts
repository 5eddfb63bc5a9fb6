import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/** One refund of a paid payment (`id` = billing's refund id): money out, at `refundedAt`. */
@Entity()
@Index({ properties: ['schoolId', 'refundedAt'] })
export class RefundFact extends TenantOwned {
  @Property({ type: 'uuid' })
  paymentId!: string;

  @Property()
  amountPiasters!: number;

  @Property({ length: 3 })
  refundedAt!: Date;
}
