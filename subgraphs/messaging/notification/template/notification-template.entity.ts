import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { EnumColumn } from '../../../../platform/db/columns';
import { TenantEntity } from '../../../../platform/db/tenant';
import { Channel } from '../notification.entity';
import { Locale } from './locale';

/**
 * A school's own wording of a notification (`upsertTemplate`): it wins over the built-in default
 * of the same key (template/defaults.ts). `channel` null serves every channel; a row for one
 * channel (a shorter SMS) wins over it. Handlebars syntax, checked when saved.
 */
@ObjectType('NotificationTemplate')
@Entity()
// MariaDB unique keys treat NULLs as distinct, so "all channels" is stored as '' (see `channelKey`).
@Unique({ properties: ['schoolId', 'key', 'channelKey', 'locale'] })
export class NotificationTemplate extends TenantEntity<'channel'> {
  @Field(() => ID)
  declare id: string;

  @Field()
  @Property({ length: 100 })
  key!: string;

  /** The channel as stored: a Channel, or '' for every channel (so the unique key holds for it too). */
  @EnumColumn()
  channelKey!: string;

  @Field(() => Locale)
  @Property({ type: 'string', length: 2 })
  locale!: Locale;

  @Field({ description: 'Email subject, push and in-app title.' })
  @Property({ length: 200 })
  subject!: string;

  @Field({ description: 'SMS, WhatsApp, push and in-app body, and the email text part.' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => String, { nullable: true, description: 'The email HTML part (values escaped); default: the text with line breaks.' })
  @Property({ type: 'text', nullable: true })
  html?: string;

  @Field()
  declare updatedAt: Date;

  @Field(() => Channel, { nullable: true, description: 'The channel this wording is for; null for every channel.' })
  get channel(): Channel | null {
    return (this.channelKey || null) as Channel | null;
  }
}
