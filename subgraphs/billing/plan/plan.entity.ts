import { Entity, Index, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { CURRENCY } from '../money/money';

export enum PlanInterval {
  MONTH = 'MONTH',
  TERM = 'TERM',
  YEAR = 'YEAR',
  ONE_TIME = 'ONE_TIME',
}
registerEnumType(PlanInterval, {
  name: 'PlanInterval',
  valuesConfig: {
    MONTH: { description: 'One calendar month per payment.' },
    TERM: { description: 'One school term (four calendar months) per payment.' },
    YEAR: { description: 'One year per payment.' },
    ONE_TIME: { description: 'Paid once; never expires.' },
  },
});

/** Calendar months one payment of a recurring interval buys (a term is four months). */
const MONTHS: Record<Exclude<PlanInterval, PlanInterval.ONE_TIME>, number> = {
  [PlanInterval.MONTH]: 1,
  [PlanInterval.TERM]: 4,
  [PlanInterval.YEAR]: 12,
};

/**
 * The end of one period of `interval` starting at `from` (UTC calendar months, clamped to the
 * month's last day: Jan 31 + 1 month = Feb 28/29); undefined for ONE_TIME, which never ends.
 */
export function periodEnd(interval: PlanInterval, from: Date): Date | undefined {
  if (interval === PlanInterval.ONE_TIME) return undefined;
  const months = MONTHS[interval];
  const end = new Date(from.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}

/**
 * Something a school sells: one course (`courseId`) or the whole school (no course), at a price in
 * piasters per interval. Archived plans take no new subscriptions; running ones keep their period.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A price a school sells a course (or the whole school) at.' })
@Entity()
@Index({ properties: ['schoolId', 'courseId'] })
export class Plan extends TenantEntity<'active' | 'currency'> {
  @Field(() => ID)
  override id!: string;

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Property()
  amountPiasters!: number;

  @Property({ length: 3 })
  currency: string = CURRENCY;

  @Field(() => PlanInterval)
  @EnumColumn()
  interval!: PlanInterval;

  /** A course of the courses subgraph, or none for a school-wide plan. */
  @Property({ type: 'uuid', nullable: true })
  courseId?: string;

  @Field({ description: 'False once archived: no new subscriptions.' })
  @Property()
  active: boolean = true;

  @Field(() => Date)
  override createdAt!: Date;
}
