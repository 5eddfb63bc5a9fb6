import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantEntity } from '../../../platform/db/tenant';

export enum Channel {
  WHATSAPP = 'WHATSAPP',
  SMS = 'SMS',
  EMAIL = 'EMAIL',
  PUSH = 'PUSH',
  IN_APP = 'IN_APP',
}
registerEnumType(Channel, { name: 'Channel', description: 'Where a notification is delivered.' });

/**
 * Where a notification stands. Moves forward only (SCHEDULED → QUEUED → SENT → DELIVERED → READ);
 * FAILED after the retries or on a permanent refusal; CANCELED when what it announced was called off
 * before it went out. A late or repeated provider status never moves it back (status.ts).
 */
export enum DeliveryStatus {
  SCHEDULED = 'SCHEDULED',
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  valuesConfig: {
    SCHEDULED: { description: 'Waits for its `scheduledAt` (or the recipient’s digest).' },
    QUEUED: { description: 'On its channel’s queue; a worker sends it.' },
    SENT: { description: 'The provider accepted it.' },
    DELIVERED: { description: 'The provider reports it reached the device or mailbox.' },
    READ: { description: 'Read (WhatsApp read receipts; in-app notifications marked read).' },
    FAILED: { description: 'Given up: see `error`.' },
    CANCELED: { description: 'Called off before it was sent (a canceled live session’s reminder).' },
  },
});

/**
 * One message to one person on one channel. Created (with its delivery job, through the outbox)
 * by `notify` (notify.ts), sent by the channel's worker, tracked to DELIVERED/READ by provider
 * callbacks. `dedupeKey` makes creation idempotent: the same source (event, announcement) never
 * makes two notifications for one recipient and channel.
 */
@Directive('@key(fields: "id")')
@ObjectType('Notification')
@Entity()
@Unique({ properties: ['schoolId', 'dedupeKey'] })
@Index({ properties: ['status', 'scheduledAt'] })
@Index({ properties: ['recipientId', 'createdAt'] })
export class Notification extends TenantEntity<'status' | 'attempts'> {
  @Field(() => ID)
  declare id: string;

  @Field()
  declare createdAt: Date;

  /** The user it is for; null for someone without an account yet (an invitation to an email address). */
  @Property({ type: 'uuid', nullable: true })
  recipientId?: string;

  /** Preference category (`announcement`, `live.reminder`, `payment.receipt`, `account.security`, …). */
  @Field()
  @Property({ length: 64 })
  category!: string;

  @Property({ length: 100 })
  templateKey!: string;

  @Field(() => Channel)
  @EnumColumn()
  channel!: Channel;

  @Property({ length: 2 })
  locale!: 'AR' | 'EN';

  /** Where it was sent (email, E.164, device token), filled in when it is; absent for in-app. */
  @Property({ length: 400, nullable: true })
  address?: string;

  /** Template variables (no secrets). */
  @Property({ type: 'json', nullable: true })
  variables?: Record<string, unknown>;

  /** Secret template variables (a reset token), sealed; erased once the notification is SENT, FAILED or CANCELED. */
  @Property({ type: 'text', nullable: true, lazy: true })
  sealed?: string;

  /** Rendered title and body, kept for in-app notifications (what the app lists). */
  @Field(() => String, { nullable: true, description: 'In-app notifications: the rendered title.' })
  @Property({ length: 300, nullable: true })
  title?: string;

  @Field(() => String, { nullable: true, description: 'In-app notifications: the rendered text.' })
  @Property({ type: 'text', nullable: true })
  body?: string;

  @Field(() => DeliveryStatus)
  @EnumColumn()
  status: DeliveryStatus = DeliveryStatus.QUEUED;

  @Field(() => Int)
  @Property()
  attempts: number = 0;

  @Field({ nullable: true })
  @Property({ length: 3, nullable: true })
  scheduledAt?: Date;

  /** Set when the recipient takes this category as a digest: it waits (SCHEDULED) and goes out inside the next one. */
  @Property({ length: 8, nullable: true })
  digest?: 'DAILY' | 'WEEKLY';

  @Field({ nullable: true })
  @Property({ length: 3, nullable: true })
  sentAt?: Date;

  @Field({ nullable: true })
  @Property({ length: 3, nullable: true })
  deliveredAt?: Date;

  @Field({ nullable: true })
  @Property({ length: 3, nullable: true })
  readAt?: Date;

  /** The provider's last error (code and message) when FAILED or retried. */
  @Field({ nullable: true })
  @Property({ length: 1000, nullable: true })
  error?: string;

  /** The provider's id of the message: status callbacks find the notification by it. */
  @Index()
  @Property({ length: 200, nullable: true })
  providerMessageId?: string;

  /** The idempotency key of the attempt in progress or last made (`<id>:<attempt>`), recorded before the provider call. */
  @Property({ length: 100, nullable: true })
  sendingKey?: string;

  /** When the attempt in `sendingKey` was claimed; a claim with no outcome after DELIVERY_IN_DOUBT_MS is in doubt. */
  @Property({ length: 3, nullable: true })
  claimedAt?: Date;

  /**
   * When the earliest attempt whose outcome is still unknown was claimed: set by a claim, cleared
   * once an outcome is known (the provider took it, or answered no). While set, a new attempt
   * first asks the provider whether an earlier one went out (ChannelAdapter.findSent), even after
   * the scheduler released the claim or a check failed.
   */
  @Property({ length: 3, nullable: true })
  unsettledSince?: Date;

  /** When the status poller last asked the provider (a callback may have been lost); see delivery/status-poll.ts. */
  @Property({ length: 3, nullable: true })
  statusCheckedAt?: Date;

  @Index()
  @Property({ type: 'uuid', nullable: true })
  announcementId?: string;

  /** Unique per school: `<source>:<recipient>:<channel>` (see notify.ts). */
  @Property({ length: 250 })
  dedupeKey!: string;
}
