import { Entity, Index, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the billing subgraph's active plans that sell a course, kept from its
 * `plan.created` / `plan.archived` events (plan.consumer.ts): a course with one is sold, so staff
 * cannot enroll students into it for free; students join it by paying (billing's
 * `plan.subscription.activated`).
 */
@Entity()
@Unique({ properties: ['planId'] })
export class CoursePlan extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
