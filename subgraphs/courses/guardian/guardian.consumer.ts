import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import { handleOnce, type DomainEvent } from '../../../platform/outbox/outbox';
import { GuardianLink } from './guardian-link.entity';

/**
 * Guardian events of the users subgraph (proposed for the platform/events catalog, version 1):
 * `guardian.linked` when a parent pairs with a student, `guardian.unlinked` when the link is removed.
 */
export interface GuardianLinkChanged {
  guardianId: string;
  studentId: string;
}

export const guardianLinksConsumer = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'courses.guardian-links',
  options: { bindings: ['guardian.linked', 'guardian.unlinked'] } satisfies ConsumeOptions,

  /** Applies one event to the read model, once (handleOnce, as consumer `queue`), in the event's school. */
  handler(orm: MikroORM) {
    return async (message: BrokerMessage<DomainEvent<GuardianLinkChanged>>): Promise<void> => {
      const event = message.payload;
      const { guardianId, studentId } = event.payload;
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      await handleOnce(em, guardianLinksConsumer.queue, message.id, async (tx) => {
        const existing = await tx.findOne(GuardianLink, { guardianId, studentId });
        if (event.type === 'guardian.linked' && !existing) {
          tx.create(GuardianLink, { schoolId: event.tenantId, guardianId, studentId, linkedAt: new Date(event.occurredAt) });
        } else if (event.type === 'guardian.unlinked' && existing) {
          tx.remove(existing);
        }
      });
    };
  },
};
