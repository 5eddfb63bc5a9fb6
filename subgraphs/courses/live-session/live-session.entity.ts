import { Entity, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { EnumColumn } from '../../../platform/db/columns';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { Course } from '../course/course.entity';

export enum LiveSessionStatus {
  SCHEDULED = 'SCHEDULED',
  LIVE = 'LIVE',
  ENDED = 'ENDED',
  CANCELED = 'CANCELED',
}
registerEnumType(LiveSessionStatus, {
  name: 'LiveSessionStatus',
  valuesConfig: { CANCELED: { description: 'Called off before it started (cancelLiveSession); it will not take place.' } },
});

/**
 * A live class of a course: scheduled (and possibly rescheduled or canceled), started and ended by
 * its teacher (or a school admin).
 */
@Directive('@key(fields: "id")')
@Directive(cacheHint(60, 'PRIVATE'))
@ObjectType()
@Entity()
@Index({ properties: ['course', 'startsAt'] })
export class LiveSession extends TenantOwned {
  [OptionalProps]?: 'status' | 'createdAt';

  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Course, { deleteRule: 'cascade' })
  course!: Course;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field()
  @Property({ length: 200 })
  title!: string;

  /** Planned start; lateness is measured from here (or from the actual start, if later). */
  @Directive(cacheHint(60, 'PRIVATE'))
  @Field()
  @Property({ length: 3 })
  startsAt!: Date;

  /** Planned end while scheduled; the actual end once ended. */
  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  endsAt?: Date;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => LiveSessionStatus)
  @EnumColumn()
  status: LiveSessionStatus = LiveSessionStatus.SCHEDULED;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  startedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  endedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  canceledAt?: Date;

  @Field(() => String, { nullable: true, description: 'Why it was canceled, as the teacher wrote it.' })
  @Property({ length: 500, nullable: true })
  cancelReason?: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
