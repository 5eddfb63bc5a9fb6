import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';

export const guardianLinksConsumer: ConsumerDefinition<DomainEventOf<'guardian.linked' | 'guardian.unlinked'>> = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'billing.guardian-links',
  options: { bindings: ['guardian.linked', 'guardian.unlinked'] } satisfies ConsumeOptions,

  /** Applies one event to the read model, once (handleOnce, as consumer `queue`), in the event's school. */
  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'guardian.linked' | 'guardian.unlinked'>>): Promise<void> => {
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
