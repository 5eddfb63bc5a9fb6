import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn, StringListType } from '../../../../platform/db/columns';
import { TenantEntity } from '../../../../platform/db/tenant';
import { CATEGORIES, type Category } from '../categories';
import { Channel } from '../notification.entity';

export enum NotificationFrequency {
  IMMEDIATELY = 'IMMEDIATELY',
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  NEVER = 'NEVER',
}
registerEnumType(NotificationFrequency, {
  name: 'NotificationFrequency',
  valuesConfig: {
    IMMEDIATELY: { description: 'Each notification as it comes.' },
    DAILY: { description: 'Gathered into one digest a day (17:00 Cairo time).' },
    WEEKLY: { description: 'Gathered into one digest a week (Thursday, 17:00 Cairo time).' },
    NEVER: { description: 'Not at all (not allowed for essential categories).' },
  },
});

/**
 * How one person wants one category of notifications (`setNotificationPreference`): on which
 * channels, and how often. A category without a row uses the defaults of categories.ts.
 */
@ObjectType('NotificationPreference')
@Entity()
@Unique({ properties: ['schoolId', 'userId', 'category'] })
export class NotificationPreference extends TenantEntity<'essential'> {
  @Property({ type: 'uuid' })
  userId!: string;

  @Field()
  @Property({ length: 64 })
  category!: string;

  @Field(() => [Channel])
  @Property({ type: StringListType })
  channels: Channel[] = [];

  @Field(() => NotificationFrequency)
  @EnumColumn()
  frequency: NotificationFrequency = NotificationFrequency.IMMEDIATELY;

  @Field({ description: 'Sent whatever the preference says (an invitation, a password reset); cannot be turned off.' })
  get essential(): boolean {
    return CATEGORIES[this.category as Category]?.essential ?? false;
  }
}
