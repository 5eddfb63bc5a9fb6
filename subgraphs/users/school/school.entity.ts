import { Entity, OptionalProps, Enum, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { UuidEntity } from '../../../platform/db/base-entity';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { Locale } from '../user/role';

/** A school is the tenant: every other row of every subgraph belongs to one (school_id). */
@Directive('@key(fields: "id")')
@Directive('@tag(name: "partner")')
@Directive(cacheHint(60))
@ObjectType({ description: 'A school (tenant). Its public profile is part of the partner contract.' })
@Entity()
export class School extends UuidEntity {
  [OptionalProps]?: 'createdAt' | 'locale' | 'timezone';

  @Field(() => ID)
  override id!: string;

  /** Subdomain and X-Tenant-ID value: lowercase letters, digits and dashes. */
  @Field()
  @Directive(cacheHint(60))
  @Unique()
  @Property({ length: 63 })
  slug!: string;

  @Field()
  @Directive(cacheHint(60))
  @Property({ length: 200 })
  name!: string;

  @Field(() => Locale)
  @Enum({ items: () => Locale })
  locale: Locale = Locale.AR;

  /** IANA zone, e.g. Africa/Cairo; times are stored in UTC and shown in this zone. */
  @Field()
  @Property({ length: 64 })
  timezone: string = 'Africa/Cairo';

  @Property({ length: 3 })
  createdAt: Date = new Date();
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
