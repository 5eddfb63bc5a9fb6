import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../../platform/db/tenant';
import { Locale, Role } from './role';
import { RoleSetType } from './role-set.type';

/**
 * A person in one school. Contact details, children and guardians are exposed through
 * field resolvers that check who is asking (user.policy.ts).
 */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity()
@Unique({ properties: ['schoolId', 'email'] })
export class User extends TenantEntity<'locale' | 'roles'> {
  @Field(() => ID)
  override id!: string;

  @Field()
  @Property({ length: 200 })
  displayName!: string;

  /** Lowercased; unique within a school (the same person may study in two schools). */
  @Property({ length: 254, nullable: true })
  email?: string;

  /** E.164, e.g. +201001234567. */
  @Property({ length: 20, nullable: true })
  phone?: string;

  /** argon2id PHC string; null until an invited user sets a password. Never loaded unless asked. */
  @Property({ length: 255, nullable: true, hidden: true, lazy: true })
  passwordHash?: string;

  @Field(() => [Role])
  @Property({ type: RoleSetType })
  roles: Role[] = [];

  @Field(() => Locale)
  @Enum({ items: () => Locale })
  locale: Locale = Locale.AR;

  @Field()
  override createdAt!: Date;
}
