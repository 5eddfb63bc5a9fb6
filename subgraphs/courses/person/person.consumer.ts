import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { Person } from './person.entity';

export const peopleConsumer: ConsumerDefinition<DomainEventOf<'user.upserted'>> = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'courses.people',
  options: { bindings: ['user.upserted'] } satisfies ConsumeOptions,

  /**
   * Applies one person's state to the read model, once (handleOnce, as consumer `queue`), in the
   * event's school. Events carry the whole state, so only their order matters: one older than
   * what the row reflects (a retried delivery overtaken by a newer change, a live change
   * overtaken by a backfill) changes nothing. Two first events of one person at once: the loser's
   * insert fails on the key and its retry finds the row.
   */
  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'user.upserted'>>): Promise<void> => {
      const event = message.payload;
      const { userId, roles, active, displayName } = event.payload;
      const observedAt = new Date(event.occurredAt);
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      await handleOnce(em, peopleConsumer.queue, message.id, async (tx) => {
        const person = await tx.findOne(Person, { id: userId });
        if (person && person.observedAt > observedAt) return;
        const state = { roles: [...roles], active, displayName, observedAt };
        if (person) Object.assign(person, state);
        else tx.create(Person, { id: userId, schoolId: event.tenantId, ...state });
      });
    };
  },
};
