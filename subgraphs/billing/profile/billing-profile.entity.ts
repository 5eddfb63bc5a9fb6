import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { Locale } from '../money/money';

/**
 * What a school prints on its invoices and how it writes amounts: its legal name, tax
 * registration and address, and its billing language. Billing's own (users keeps the school's
 * display name, which billing cannot read); a school without one invoices under its slug, in Arabic.
 */
@ObjectType({ description: "The school's invoicing details (school admins)." })
@Entity()
@Unique({ properties: ['schoolId'] })
export class BillingProfile extends TenantEntity<'locale'> {
  @Field({ description: 'The name printed on invoices.' })
  @Property({ length: 200 })
  legalName!: string;

  @Field(() => Locale, { description: 'Language of invoices and the default of Money.formatted.' })
  @EnumColumn()
  locale: Locale = Locale.AR;

  @Field(() => String, { nullable: true, description: 'Tax registration number, printed on invoices.' })
  @Property({ length: 50, nullable: true })
  taxRegistrationNumber?: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 300, nullable: true })
  address?: string;
}
