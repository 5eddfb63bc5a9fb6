import { Entity, Index, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { StringListType } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { Channel } from '../notification/notification.entity';

/**
 * A message from a course's teacher (or a school admin) to its families: the students enrolled
 * now and their guardians. Stored at once; its notifications are made by the fan-out consumer
 * (announcement.consumer.ts), one per recipient and channel, and tracked like any other.
 */
@ObjectType('Announcement')
@Entity()
@Index({ properties: ['courseId', 'createdAt'] })
export class Announcement extends TenantEntity<'recipientCount'> {
  @Field(() => ID)
  declare id: string;

  @Property({ type: 'uuid' })
  courseId!: string;

  /** Who sent it. */
  @Property({ type: 'uuid' })
  authorId!: string;

  @Field()
  @Property({ length: 100 })
  templateKey!: string;

  /** The sender's variables, with `courseTitle` and `teacherName` filled in where the sender left them out. */
  @Property({ type: 'json' })
  variables: Record<string, string | number | boolean> = {};

  @Field(() => [Channel])
  @Property({ type: StringListType })
  channels: Channel[] = [];

  @Field({ nullable: true, description: 'When it goes out; null: at once.' })
  @Property({ length: 3, nullable: true })
  scheduledAt?: Date;

  @Field()
  declare createdAt: Date;

  /** Set once its notifications are all made. */
  @Field({ nullable: true, description: 'When its notifications were all made (null while the audience is being resolved).' })
  @Property({ length: 3, nullable: true })
  fannedOutAt?: Date;

  @Field(() => Int, { description: 'People it was addressed to (students and guardians), once fanned out.' })
  @Property()
  recipientCount: number = 0;
}
