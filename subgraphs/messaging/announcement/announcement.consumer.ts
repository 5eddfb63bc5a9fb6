import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEvent } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import type { Notify } from '../notification/notify';
import { courseRecipients } from '../course/audience';
import { Announcement } from './announcement.entity';

/** The routing key of an announcement's fan-out job (recorded by announcement.service.ts). */
export const ANNOUNCEMENT_FANOUT = 'announcement.fanout';
export interface AnnouncementFanout {
  announcementId: string;
}

/** Recipients per transaction: a crash loses at most one batch of work, redone without duplicates. */
export const FANOUT_BATCH = 500;

/**
 * The `notify` of each running messaging service, by its ORM (a consumer definition is static;
 * the notification service needs the sealer made at start: app.ts registers it).
 */
const notifiers = new WeakMap<MikroORM, Notify>();

export function registerAnnouncementNotify(orm: MikroORM, notify: Notify): void {
  notifiers.set(orm, notify);
}

export const announcementFanoutConsumer: ConsumerDefinition<DomainEvent<AnnouncementFanout>> = {
  queue: 'messaging.announcements',
  options: { bindings: [ANNOUNCEMENT_FANOUT] } satisfies ConsumeOptions,

  /**
   * Resolves the announcement's audience (the course's students now, and their guardians) and
   * makes its notifications, 500 recipients per transaction. Idempotent without a processed-message
   * record: every batch notifies from the source `announcement:<id>`, so a batch repeated after a
   * crash or a redelivery makes nothing twice; a fanned-out announcement is skipped.
   */
  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEvent<AnnouncementFanout>>): Promise<void> => {
      const notify = notifiers.get(orm);
      if (!notify) throw new Error('no notification service registered for this messaging service');
      const event = message.payload;
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      const announcement = await em.findOne(Announcement, { id: event.payload.announcementId });
      if (!announcement || announcement.fannedOutAt) return;
      const audience = await courseRecipients(em, announcement.courseId);
      for (let i = 0; i < audience.length; i += FANOUT_BATCH) {
        await em.fork().transactional(async (tx) => {
          scopeToTenant(tx, event.tenantId);
          await notify(tx, {
            schoolId: event.tenantId,
            category: 'announcement',
            templateKey: announcement.templateKey,
            recipients: audience.slice(i, i + FANOUT_BATCH).map((userId) => ({ userId })),
            variables: announcement.variables,
            channels: announcement.channels,
            scheduledAt: announcement.scheduledAt,
            source: `announcement:${announcement.id}`,
            announcementId: announcement.id,
          });
        });
      }
      announcement.fannedOutAt = new Date();
      announcement.recipientCount = audience.length;
      await em.flush();
    };
  },
};
