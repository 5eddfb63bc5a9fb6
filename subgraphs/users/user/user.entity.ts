import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../../platform/db/tenant';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { Locale, Role } from './role';
import { RoleSetType } from './role-set.type';

/**
 * A person in one school. Contact details, children and guardians are exposed through
 * field resolvers that check who is asking (user.policy.ts).
 */
@Directive('@key(fields: "id")')
// The same for every member of the school who may see a user; each change records user.upserted.
@Directive(cacheHint(60))
@ObjectType()
@Entity()
@Unique({ properties: ['schoolId', 'email'] })
export class User extends TenantEntity<'locale' | 'roles' | 'active'> {
  @Field(() => ID)
  override id!: string;

  @Directive(cacheHint(60))
  @Field()
  @Property({ length: 200 })
  displayName!: string;

  /** Lowercased; unique within a school (the same person may study in two schools). */
  @Property({ length: 254, nullable: true })
  email?: string;

  /** E.164, e.g. +201001234567. */
  @Property({ type: 'string', length: 20, nullable: true })
  phone?: string | null;

  /** argon2id PHC string; null until an invited user sets a password. Never loaded unless asked. */
  @Property({ length: 255, nullable: true, hidden: true, lazy: true })
  passwordHash?: string;

  @Directive(cacheHint(60))
  @Field(() => [Role])
  @Property({ type: RoleSetType })
  roles: Role[] = [];

  @Directive(cacheHint(60))
  @Field(() => Locale, {
    description:
      "The person's language for messages (Accept-Language of a request wins). A change applies to access tokens issued after it: from the next refreshToken or login.",
  })
  @Enum({ items: () => Locale })
  locale: Locale = Locale.AR;

  /**
   * Set by deactivateUser: the person can no longer sign in and their sessions were revoked;
   * kept, because history (enrollments, attendance, payments) refers to them.
   */
  @Property({ type: 'datetime', length: 3, nullable: true })
  deactivatedAt?: Date | null;

  @Directive(cacheHint(60))
  @Field({ description: 'False once a school admin deactivated the person (deactivateUser).' })
  get active(): boolean {
    return !this.deactivatedAt;
  }

  @Directive(cacheHint(60))
  @Field()
  override createdAt!: Date;
}
