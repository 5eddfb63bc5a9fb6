import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';
import { CURRENCY } from '../money/money';
import { PlanSubscription } from '../subscription/plan-subscription.entity';

export enum PaymentProvider {
  PAYMOB = 'PAYMOB',
  FAWRY = 'FAWRY',
}
registerEnumType(PaymentProvider, { name: 'PaymentProvider' });

export enum PaymentMethod {
  CARD = 'CARD',
  WALLET = 'WALLET',
  FAWRY_REFERENCE = 'FAWRY_REFERENCE',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  valuesConfig: {
    CARD: { description: 'A card on the provider’s hosted checkout page (Paymob unified checkout, Fawry express checkout).' },
    WALLET: { description: 'A mobile wallet through Paymob.' },
    FAWRY_REFERENCE: { description: 'A Fawry reference number, paid in cash at any Fawry point before it expires.' },
  },
});

export enum PaymentStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
  REFUNDED = 'REFUNDED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
}
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

/**
 * Statuses only move forward (a late PENDING never overwrites PAID; a declined attempt may be
 * followed by a successful one on the same order): a change applies when its rank is higher.
 */
export const STATUS_RANK: Record<PaymentStatus, number> = {
  [PaymentStatus.PENDING]: 0,
  [PaymentStatus.FAILED]: 1,
  [PaymentStatus.EXPIRED]: 1,
  [PaymentStatus.PAID]: 2,
  [PaymentStatus.PARTIALLY_REFUNDED]: 3,
  [PaymentStatus.REFUNDED]: 4,
};

/**
 * One attempt to pay for a plan subscription at a provider. Created PENDING by `subscribe`,
 * settled by the provider's verified callback or by reconciliation (payment/settlement.ts).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A payment for a plan subscription.' })
@Entity()
@Unique({ properties: ['merchantRef'] })
@Unique({ properties: ['provider', 'providerOrderId'] })
@Index({ properties: ['status', 'provider', 'createdAt'] })
export class Payment extends TenantEntity<'status' | 'currency' | 'refundedPiasters' | 'reservedRefundPiasters'> {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => PlanSubscription)
  subscription!: PlanSubscription;

  @Property({ type: 'uuid' })
  planId!: string;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  @Index()
  @Property({ type: 'uuid' })
  payerId!: string;

  @Property()
  amountPiasters!: number;

  @Property({ length: 3 })
  currency: string = CURRENCY;

  @Field(() => PaymentProvider)
  @EnumColumn()
  provider!: PaymentProvider;

  @Field(() => PaymentMethod)
  @EnumColumn()
  method!: PaymentMethod;

  @Field(() => PaymentStatus)
  @EnumColumn()
  status: PaymentStatus = PaymentStatus.PENDING;

  /**
   * Our reference at the provider (Paymob `special_reference`, Fawry `merchantRefNum`): digits
   * only, unique. Fawry signs it in its notifications, so a notification names its payment.
   */
  @Property({ length: 32 })
  merchantRef!: string;

  /** Paymob's order id (signed in its callbacks: how a callback names its payment) or Fawry's reference number. */
  @Property({ length: 64, nullable: true })
  providerOrderId?: string;

  /** The provider's id of the transaction that paid (Paymob transaction id, Fawry fawryRefNumber). */
  @Property({ length: 64, nullable: true })
  providerTransactionId?: string;

  @Field(() => String, { nullable: true, description: 'Where the payer pays (hosted checkout); null for a Fawry reference.' })
  @Property({ type: 'text', nullable: true })
  checkoutUrl?: string;

  @Field(() => String, { nullable: true, description: 'The number to pay at a Fawry point (FAWRY_REFERENCE).' })
  @Property({ length: 32, nullable: true })
  fawryReferenceNumber?: string;

  @Field(() => Date, { nullable: true, description: 'When the checkout link or reference number stops working.' })
  @Property({ length: 3, nullable: true })
  expiresAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  paidAt?: Date;

  /** Successful refunds so far. */
  @Property()
  refundedPiasters: number = 0;

  /** Refunds asked of the provider and not yet answered: counted against the paid amount meanwhile. */
  @Property()
  reservedRefundPiasters: number = 0;

  /** How it was paid, as the provider says (Paymob `source_data.type`: card, wallet, aggregator = kiosk; Fawry's paymentMethod). */
  @Property({ length: 40, nullable: true })
  sourceType?: string;

  @Property({ length: 300, nullable: true })
  failureReason?: string;

  /** The school's slug when the payment was made (invoices of a school without a billing profile are issued under it). */
  @Property({ length: 63, nullable: true })
  schoolSlug?: string;

  @Field(() => Date)
  override createdAt!: Date;
}
