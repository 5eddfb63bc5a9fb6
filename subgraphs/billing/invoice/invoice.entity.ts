import { Entity, Index, OneToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { CURRENCY } from '../money/money';
import { Payment } from '../payment/payment.entity';

/** The invoice number of a school's `sequence`-th invoice: INV-000042. */
export const invoiceNumber = (sequence: number) => `INV-${String(sequence).padStart(6, '0')}`;

/**
 * The invoice of a paid payment: numbered per school without gaps or duplicates (invoice
 * sequence, allocated in the payment's settlement transaction), with what it prints frozen at
 * issue. The PDF is rendered after the fact (invoice.consumer.ts) and kept in file storage.
 */
@ObjectType({ description: 'The invoice of a paid payment.' })
@Entity()
@Unique({ properties: ['schoolId', 'sequence'] })
export class Invoice extends TenantOwned {
  [OptionalProps]?: 'currency';

  @Field(() => ID)
  override id!: string;

  @OneToOne(() => Payment, { owner: true, unique: true })
  payment!: Payment;

  /** 1, 2, 3… per school. */
  @Property()
  sequence!: number;

  @Field({ description: 'Consecutive per school, e.g. INV-000042.' })
  @Property({ length: 20 })
  number!: string;

  @Field(() => Date)
  @Index()
  @Property({ length: 3 })
  issuedAt!: Date;

  @Property()
  totalPiasters!: number;

  @Property({ length: 3 })
  currency: string = CURRENCY;

  /** What the invoice bills: the plan and the period, as printed. */
  @Property({ length: 300 })
  description!: string;

  @Property({ length: 3, nullable: true })
  periodStart?: Date;

  @Property({ length: 3, nullable: true })
  periodEnd?: Date;

  /** Storage key of the rendered PDF; null until it is rendered. */
  @Property({ length: 300, nullable: true })
  pdfKey?: string;
}

/** The last invoice number a school used: one row per school, updated in place under its row lock. */
@Entity()
@Unique({ properties: ['schoolId'] })
export class InvoiceSequence extends TenantOwned {
  [OptionalProps]?: 'lastNumber';

  @Property()
  lastNumber: number = 0;
}
