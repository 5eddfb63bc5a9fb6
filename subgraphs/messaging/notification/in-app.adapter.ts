import type { MikroORM } from '@mikro-orm/core';
import { BusUnavailableError, type EventBus } from '../../../platform/bus/event-bus';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { ProviderError, type ChannelAdapter, type OutgoingMessage, type SendResult } from '../channels/channel';
import { Channel, DeliveryStatus, Notification } from './notification.entity';
import { notificationTopic, type NotificationEventData } from './notification-topic';

/**
 * The IN_APP channel: "delivering" is publishing the notification to its recipient's bus topic,
 * where `notificationReceived` subscribers (and a reconnecting app, with `after`) get it. The
 * notification itself is already in the database, listed by `notifications`; the worker calls
 * this like any provider, and marks it DELIVERED on the answer.
 */
export function createInAppAdapter(orm: MikroORM, bus: EventBus): ChannelAdapter {
  return {
    channel: 'IN_APP',
    describe: 'event bus (notificationReceived)',
    async send(message: OutgoingMessage): Promise<SendResult> {
      // The message names the notification only; its school and recipient are on its row. Read by
      // its (random, unique) id across schools: what is read here goes only to that row's own person.
      const n = await orm.em.fork().findOne(Notification, { id: message.notificationId }, { filters: { [TENANT_FILTER]: false } });
      if (!n || n.channel !== Channel.IN_APP || !n.recipientId) {
        throw new ProviderError(`no in-app notification ${message.notificationId}`, true, 'NOT_IN_APP');
      }
      const deliveredAt = new Date();
      const data: NotificationEventData = {
        id: n.id,
        schoolId: n.schoolId,
        recipientId: n.recipientId,
        category: n.category,
        channel: n.channel,
        status: DeliveryStatus.DELIVERED,
        attempts: n.attempts,
        title: n.title ?? message.subject,
        body: n.body ?? message.text,
        createdAt: n.createdAt.toISOString(),
        scheduledAt: n.scheduledAt?.toISOString(),
        deliveredAt: deliveredAt.toISOString(),
      };
      try {
        const eventId = await bus.publish(notificationTopic(n.schoolId, n.recipientId), data);
        return { status: 'DELIVERED', providerMessageId: eventId };
      } catch (err) {
        // The bus keeps the event queued, but the worker cannot know it went: retried, and a
        // duplicate on the topic is harmless (the app keys notifications by id).
        if (err instanceof BusUnavailableError) throw new ProviderError('event bus unavailable', false, 'BUS_UNAVAILABLE');
        throw err;
      }
    },
    async close() {},
  };
}
