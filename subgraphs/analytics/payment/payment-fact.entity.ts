import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/** A payment its provider confirmed (`id` = billing's payment id): money in, at `paidAt`. */
@Entity()
@Index({ properties: ['schoolId', 'paidAt'] })
export class PaymentFact extends TenantOwned {
  @Property({ type: 'uuid' })
  payerId!: string;

  @Property({ type: 'uuid' })
  studentId!: string;

  @Property()
  amountPiasters!: number;

  @Property({ length: 16 })
  provider!: string;

  @Property({ length: 3 })
  paidAt!: Date;
}
