import type { EntityManager } from '@mikro-orm/core';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { Channel, Notification } from './notification.entity';

/** The routing key (and, with the queue prefix, the queue) of one channel's delivery jobs. */
export const deliveryRoutingKey = (channel: Channel): string => `notification.deliver.${channel.toLowerCase().replace('_', '-')}`;

/** A delivery job: which notification to send. Everything else is read from its row when it is sent. */
export interface DeliveryJob {
  notificationId: string;
}

/**
 * Queues `notification` on its channel's queue when `tx` commits (through the outbox), so a
 * notification is never queued for a transaction that rolled back, nor lost after one that
 * committed. The job carries only the id: the row is the truth (status, attempts, key).
 */
export function recordDeliveryJob(tx: EntityManager, notification: Pick<Notification, 'id' | 'schoolId' | 'channel'>): void {
  recordEvent<DeliveryJob>(tx, {
    type: deliveryRoutingKey(notification.channel),
    tenantId: notification.schoolId,
    payload: { notificationId: notification.id },
  });
}
