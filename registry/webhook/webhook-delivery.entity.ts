import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export enum DeliveryStatus {
  pending = 'pending',
  delivered = 'delivered',
  failed = 'failed',
}

/**
 * One notice of one contract change to one webhook. Written in the publish transaction (so a
 * crash cannot lose it), queued on the broker after the commit (`queuedAt`; rows still null at
 * start-up are queued again), and updated by every attempt.
 */
@Entity({ tableName: 'webhook_delivery' })
// Pruning (platform/outbox/pruner.ts) deletes finished deliveries by age.
@Index({ properties: ['status', 'createdAt'] })
export class WebhookDelivery {
  [OptionalProps]?: 'createdAt' | 'attempts' | 'status';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  webhookId!: string;

  @Property({ type: 'uuid' })
  versionId!: string;

  /** A plain string, not @Enum: see SchemaChange.level. */
  @Property({ type: 'string', length: 16 })
  status: DeliveryStatus = DeliveryStatus.pending;

  @Property()
  attempts: number = 0;

  /** HTTP status or network error of the last failed attempt. */
  @Property({ length: 1000, nullable: true })
  lastError?: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ nullable: true })
  queuedAt?: Date;

  @Property({ nullable: true })
  deliveredAt?: Date;
}
