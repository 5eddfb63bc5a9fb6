import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { Plan } from '../plan/plan.entity';

export enum PlanSubscriptionStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  PAST_DUE = 'PAST_DUE',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(PlanSubscriptionStatus, {
  name: 'PlanSubscriptionStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting for its first payment.' },
    ACTIVE: { description: 'Paid up to currentPeriodEnd.' },
    PAST_DUE: { description: 'The paid period ended; still enrolled during the grace days, until a renewal or expiry.' },
    CANCELED: { description: 'Will not renew: access lasts until currentPeriodEnd (none when it was never paid).' },
    EXPIRED: { description: 'Ended: the student is no longer enrolled through it. A new payment starts it again.' },
  },
});

/**
 * A student's subscription to a plan, paid by a payer (a parent, or the student): one per plan and
 * student, renewed by further payments (each extends `currentPeriodEnd` by the plan's interval).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A student's subscription to a plan." })
@Entity()
@Unique({ properties: ['plan', 'studentId'] })
@Index({ properties: ['status', 'currentPeriodEnd'] })
export class PlanSubscription extends TenantEntity<'status'> {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Plan)
  plan!: Plan;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  /** Who paid last (the payer of the payment that activated the current period). */
  @Index()
  @Property({ type: 'uuid' })
  payerId!: string;

  @Field(() => PlanSubscriptionStatus)
  @EnumColumn()
  status: PlanSubscriptionStatus = PlanSubscriptionStatus.PENDING;

  @Field(() => Date, { nullable: true, description: 'End of the paid period; null before the first payment and for one-time plans.' })
  @Property({ length: 3, nullable: true })
  currentPeriodEnd?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  activatedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  canceledAt?: Date;

  @Property({ length: 3, nullable: true })
  expiredAt?: Date;
}
